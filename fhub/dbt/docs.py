"""dbt docs: generate a single self-contained page (``dbt docs generate --static``) into the reports folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from fhub.settings import Paths


def publish_dbt_docs(paths: Paths) -> str | None:
    target = paths.dbt_target
    static = target / "static_index.html"
    source = static if static.exists() else target / "index.html"
    if not source.exists():
        return None
    paths.dbt_docs.mkdir(parents=True, exist_ok=True)
    tmp = paths.dbt_docs / ".index.html.tmp"
    shutil.copyfile(source, tmp)
    os.replace(tmp, paths.dbt_docs / "index.html")
    if source == target / "index.html":
        for name in ("manifest.json", "catalog.json"):
            if (target / name).exists():
                shutil.copyfile(target / name, paths.dbt_docs / name)
    return str(paths.dbt_docs / "index.html")


#: Manifest entries whose content the docs page shows; per-run fields (parse times, compiled SQL that
#: embeds the run id) are left out so an unchanged project has an unchanged fingerprint.
_DOC_SECTIONS = ("nodes", "sources", "macros", "docs", "exposures", "metrics", "groups", "semantic_models",
                 "saved_queries", "unit_tests", "functions")
_PER_RUN_KEYS = {"created_at", "compiled", "compiled_code", "compiled_path", "extra_ctes", "extra_ctes_injected",
                 "build_path", "deferred"}
FINGERPRINT_FILE = ".fingerprint"


def docs_fingerprint(target: Path) -> str | None:
    """A hash of what the docs page shows, from the ``manifest.json`` tonight's ``dbt build`` wrote (None
    if there is none): the project's models, tests, sources, macros and docs, the dbt version, and the
    landing contracts (the raw tables' columns appear in the catalog)."""
    import hashlib
    import json

    from fhub.contracts import CONTRACTS

    path = Path(target) / "manifest.json"
    if not path.exists():
        return None
    manifest = json.loads(path.read_text(encoding="utf-8"))
    stable = {
        section: {uid: {k: v for k, v in entry.items() if k not in _PER_RUN_KEYS}
                  for uid, entry in (manifest.get(section) or {}).items()}
        for section in _DOC_SECTIONS
    }
    stable["dbt_version"] = manifest.get("metadata", {}).get("dbt_version")
    stable["contracts"] = repr(sorted(CONTRACTS.items()))
    return hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()


def docs_are_current(paths: Paths, fingerprint: str | None) -> bool:
    """The published docs page was generated from a project with this fingerprint."""
    stored = paths.dbt_docs / FINGERPRINT_FILE
    return (fingerprint is not None and (paths.dbt_docs / "index.html").exists() and stored.exists()
            and stored.read_text().strip() == fingerprint)


def record_docs_fingerprint(paths: Paths, fingerprint: str | None) -> None:
    if fingerprint is not None:
        (paths.dbt_docs / FINGERPRINT_FILE).write_text(fingerprint + "\n")
