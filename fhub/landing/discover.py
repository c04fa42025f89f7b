"""Discover delivered files: ``incoming/<borough_slug>/<file>`` (hidden, temporary and partial files skipped)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fhub.landing.events import PARTIAL_SUFFIXES as _PARTIAL_SUFFIXES


@dataclass(frozen=True)
class Delivered:
    slug: str
    path: Path
    size: int
    mtime: float


def discover(incoming: Path) -> list[Delivered]:
    """Every regular file directly inside ``incoming/<slug>/``, oldest first (then by name), so that a
    correction delivered after the original supersedes it. Symbolic links are not followed; what is left out
    (links, hidden and partial files, folders) gets a receipt line through :mod:`fhub.landing.events`."""
    found: list[Delivered] = []
    if not incoming.is_dir():
        return found
    for folder in sorted(p for p in incoming.iterdir() if p.is_dir() and not p.is_symlink()):
        if folder.name.startswith("."):
            continue
        for path in folder.iterdir():
            name = path.name
            if name.startswith((".", "~$")) or name.lower().endswith(_PARTIAL_SUFFIXES):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            st = path.stat()
            found.append(Delivered(slug=folder.name, path=path, size=st.st_size, mtime=st.st_mtime))
    found.sort(key=lambda d: (d.mtime, d.slug, d.path.name))
    return found
