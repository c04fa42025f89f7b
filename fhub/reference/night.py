"""The reference step of a night: land the real published files from the folder chosen for this run."""

from __future__ import annotations

from collections.abc import Callable

from fhub.reference.folder import ReferenceFolder
from fhub.reference.land import land_reference
from fhub.settings import Paths


def land_reference_files(paths: Paths, run_id: str, folder: ReferenceFolder,
                         progress: Callable[[str], None] | None = None) -> dict:
    """Land the reference files of ``folder`` and say what happened (run summary, manifest)."""
    if progress:
        progress(folder.explanation)
    result = land_reference(
        paths, run_id, real_dir=folder.path, pins=folder.pins, absent_reason=folder.explanation, progress=progress
    )
    return {
        "summary": result.summary(),
        "folder": folder.origin,
        "issues_by_kind": result.as_dict().get("issue_counts"),
    }
