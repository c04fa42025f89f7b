"""Quarantine: files that cannot be landed at all are copied to ``quarantine/<sha256>/<safe name>`` with a
plain-language ``reason.txt`` (what is wrong, how to fix it). The run goes on with every other file."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class Unlandable(Exception):  # noqa: N818 - domain word: the file is unlandable
    """The whole file cannot be landed. ``reason`` and ``fix`` are shown to the borough's data officer."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def safe_file_name(name: str, max_len: int = 120) -> str:
    """A name that is safe as one path component: no separators, no ``..``, ASCII only, bounded length."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _UNSAFE.sub("_", text.replace("/", "_").replace("\\", "_"))
    text = re.sub(r"\.{2,}", "_", text).strip(" .")
    return (text or "file")[:max_len]


def quarantine_file(src: Path, quarantine_root: Path, sha: str, reason: str, fix: str) -> Path:
    """Copy the original bytes next to a ``reason.txt``; returns the folder. Atomic per file."""
    folder = quarantine_root / sha
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_file_name(src.name)
    assert target.resolve().parent == folder.resolve()  # never outside quarantine/<sha>/
    if not target.exists():
        tmp = folder / f".{os.getpid()}.tmp"
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            while chunk := fin.read(4 * 1024 * 1024):
                fout.write(chunk)
        os.replace(tmp, target)
    note = folder / "reason.txt"
    tmp_note = folder / f".{os.getpid()}.reason.tmp"
    tmp_note.write_text(
        f"File: {src.name}\nSHA-256: {sha}\n\nWhy it could not be landed:\n  {reason}\n\nHow to fix it:\n  {fix}\n",
        encoding="utf-8",
    )
    os.replace(tmp_note, note)
    return folder
