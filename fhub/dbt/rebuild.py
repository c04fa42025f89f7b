"""Which incremental models must be rebuilt from scratch tonight: those whose definition changed.

An incremental model keeps the rows earlier nights wrote. When its definition changes (its SQL, its YAML -
columns and contract - or the project's macros), those rows were written by the old definition: a new column
would stay null in every one of them, a changed rule would apply to new deliveries only. So the nightly build
rebuilds exactly those models (``FHUB_REBUILD_MODELS``, read by ``macros/should_full_refresh.sql``) and
records what it built once the build succeeded. A warehouse with no record rebuilds every incremental model
once (it cannot tell what built it).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from fhub.settings import Paths

RECORD_NAME = "incremental_models.json"
ENV_VAR = "FHUB_REBUILD_MODELS"
_INCREMENTAL = re.compile(r"materialized\s*=\s*['\"]incremental['\"]")


def incremental_models(project: Path) -> dict[str, Path]:
    """Model name -> SQL file, for every model configured ``materialized='incremental'`` in its SQL."""
    return {
        path.stem: path
        for path in sorted((project / "models").rglob("*.sql"))
        if _INCREMENTAL.search(path.read_text(encoding="utf-8"))
    }


def definition_fingerprints(project: Path) -> dict[str, str]:
    """Model name -> sha256 of its SQL, its YAML (beside it, same stem) and every macro file of the project."""
    macros = hashlib.sha256()
    for path in sorted((project / "macros").rglob("*.sql")):
        macros.update(path.relative_to(project).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    shared = macros.hexdigest()
    out = {}
    for name, sql in incremental_models(project).items():
        digest = hashlib.sha256(sql.read_bytes() + b"\0" + shared.encode())
        yml = sql.with_suffix(".yml")
        if yml.exists():
            digest.update(b"\0" + yml.read_bytes())
        out[name] = digest.hexdigest()
    return out


def record_path(paths: Paths) -> Path:
    return paths.work_dir / RECORD_NAME


def models_to_rebuild(paths: Paths, current: dict[str, str] | None = None) -> list[str]:
    """Incremental models whose definition differs from the one recorded at their last successful build."""
    current = definition_fingerprints(paths.project) if current is None else current
    try:
        built = json.loads(record_path(paths).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        built = {}
    return sorted(name for name, fingerprint in current.items() if built.get(name) != fingerprint)


def record_built(paths: Paths, fingerprints: dict[str, str]) -> None:
    """Remember the definitions a successful build used (written atomically)."""
    target = record_path(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(fingerprints, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(target)


def forget_built(paths: Paths, models: list[str]) -> None:
    """Forget the recorded definitions of ``models`` so the next build rebuilds them from scratch (an erasure
    removed rows from them: a full rebuild leaves them exactly as the raw rows now say)."""
    if not models:
        return
    try:
        built = json.loads(record_path(paths).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return
    record_built(paths, {name: fp for name, fp in built.items() if name not in set(models)})
