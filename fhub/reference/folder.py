"""Which folder of reference files a run lands from: one decision, made once by the entry point.

In order:

1. ``FHUB_REAL_DATA_DIR`` (or ``--real-data-dir``) when set: the user said so. Missing -> no comparators.
2. ``$FHUB_DATA_DIR/reference`` when ``fhub reference fetch`` has put at least one pinned file there. Files
   there are landed only with the bytes their pin names (see :func:`landing_pins`).
3. ``../shared/data/real`` beside the checkout, when it exists (same relative paths, same bytes).
4. None: the run goes on without comparators, and says so in one line.

Library code never looks at the environment: the CLI and flow entry points call :func:`choose_reference_folder`
with what they read and pass the :class:`ReferenceFolder` down.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fhub.reference.pins import Download, effective_pin, load_downloads, read_local_pins
from fhub.settings import DEFAULT_REAL_DATA_DIR, Paths

REFERENCE_DIR_NAME = "reference"


def fetched_reference_dir(paths: Paths) -> Path:
    """Where ``fhub reference fetch`` puts the publishers' files."""
    return paths.data / REFERENCE_DIR_NAME


@dataclass(frozen=True)
class ReferenceFolder:
    path: Path | None  # None: no reference data this run
    origin: str  # explicit | fetched | shared | none
    explanation: str  # one line, for the run log and summary
    #: for the fetched folder: relative path -> sha256 that may be landed (None = no pin yet: not landed)
    pins: dict[str, str | None] | None = None


def landing_pins(reference_dir: Path, downloads: Iterable[Download]) -> dict[str, str | None]:
    local = read_local_pins(reference_dir)
    return {d.path: effective_pin(d, local).sha256 for d in downloads}


def choose_reference_folder(
    paths: Paths,
    *,
    explicit: Path | str | None,
    shared: Path,
    downloads: Iterable[Download] | None = None,
) -> ReferenceFolder:
    """Pick the folder (see the module docstring); ``explicit`` is ``FHUB_REAL_DATA_DIR`` as the caller read it."""
    downloads = list(downloads if downloads is not None else load_downloads())
    fetched = fetched_reference_dir(paths)
    if explicit:
        folder = Path(explicit)
        if folder.is_dir():
            return ReferenceFolder(folder, "explicit", f"reference data from FHUB_REAL_DATA_DIR={folder}")
        return ReferenceFolder(
            None,
            "explicit",
            f"no reference data: FHUB_REAL_DATA_DIR={folder} does not exist - running without comparators "
            "(DfE/OHID/MHCLG figures stay as last landed, borough figures publish as usual)",
        )
    present = [d for d in downloads if (fetched / d.path).is_file()]
    if present:
        missing = len(downloads) - len(present)
        gap = f"; {missing} not fetched yet (`fhub reference fetch`)" if missing else ""
        return ReferenceFolder(
            fetched,
            "fetched",
            f"reference data fetched from the publishers: {len(present)} of {len(downloads)} files in {fetched}{gap}",
            pins=landing_pins(fetched, downloads),
        )
    if shared.is_dir():
        return ReferenceFolder(shared, "shared", f"reference data from the shared folder {shared}")
    return ReferenceFolder(
        None,
        "none",
        f"no reference data: nothing fetched into {fetched} (`fhub reference fetch`), FHUB_REAL_DATA_DIR not "
        f"set and {shared} absent - running without comparators (borough figures publish as usual)",
    )


def choose_from_settings(paths: Paths) -> ReferenceFolder:
    """The choice from the settings the entry point resolved (``paths.real_data_dir``: ``FHUB_REAL_DATA_DIR``
    or ``--real-data-dir``) and the default shared folder beside the checkout."""
    return choose_reference_folder(
        paths, explicit=str(paths.real_data_dir) if paths.real_data_dir else None, shared=DEFAULT_REAL_DATA_DIR
    )
