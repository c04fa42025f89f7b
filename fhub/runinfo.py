"""Run identity: run id, code version, mode."""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from pathlib import Path


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def code_version(project_dir: Path, ignore: tuple[str, ...] = ()) -> str:
    """``git-<short commit>``, ``-dirty`` if tracked files differ from it (files in ``ignore`` do not count).
    The prefix marks it as a machine id: a bare short commit such as ``de3a5db`` has a postcode's shape."""
    try:
        sha = subprocess.run(
            ["git", "-C", str(project_dir), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(project_dir), "status", "--porcelain", "--untracked-files=no", "--", ".",
             *(f":(exclude){name}" for name in ignore)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
        return f"git-{sha}" + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
