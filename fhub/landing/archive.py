"""Content-addressed archive of original bytes, encrypted at rest: ``archive/<sha[:2]>/<sha256>.fenc``
(:mod:`fhub.privacy.vault`; streamed, temp file + ``os.replace``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fhub.privacy.vault import SUFFIX, OriginalsKey, encrypt_file

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
    return archive_root / sha[:2] / f"{sha}{SUFFIX}"


def archive_file(src: Path, archive_root: Path, sha: str, key: OriginalsKey, *, fsync: bool = True) -> Path:
    """Encrypt ``src`` into the archive under its sha256 (no-op if it is already there). Crash-safe: the archive
    never holds a partial file under its final name. Verifies the bytes read hash to ``sha``. ``fsync=False``
    leaves durability to the caller (landing calls :func:`os.sync` once for all files it archived, before it
    records any of them)."""
    dest = archive_path(archive_root, sha)
    if dest.exists():
        return dest
    tmp = dest.with_name(f".{dest.name}.verify")
    digest, _ = encrypt_file(src, tmp, key, fsync=fsync)
    if digest != sha:
        tmp.unlink(missing_ok=True)
        raise OSError(f"a delivered file changed while it was being archived (delivery {sha[:12]}); it will be "
                      "picked up on the next run")
    tmp.replace(dest)
    return dest
