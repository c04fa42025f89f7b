"""Content-addressed archive of original bytes: ``archive/<sha[:2]>/<sha256>`` (temp file + os.replace)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_CHUNK = 4 * 1024 * 1024


def sha256_file(path: Path) -> tuple[str, int]:
    """(hex sha256, size in bytes), streamed."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def archive_path(archive_root: Path, sha: str) -> Path:
    return archive_root / sha[:2] / sha


def archive_file(src: Path, archive_root: Path, sha: str, *, fsync: bool = True) -> Path:
    """Copy ``src`` into the archive under its sha256 (no-op if already there with the right size).
    Crash-safe: the archive never holds a partial file under its final name. Verifies the copied bytes hash
    to ``sha``. ``fsync=False`` leaves durability to the caller (landing calls :func:`os.sync` once for all
    files it archived, before it records any of them)."""
    dest = archive_path(archive_root, sha)
    if dest.exists() and dest.stat().st_size == src.stat().st_size:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{sha}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while chunk := fin.read(_CHUNK):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        if fsync:
            os.fsync(fout.fileno())
    if digest.hexdigest() != sha:
        tmp.unlink(missing_ok=True)
        raise OSError(f"{src} changed while it was being archived; it will be picked up on the next run")
    os.replace(tmp, dest)
    return dest
