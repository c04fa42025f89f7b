"""Quarantine: files that cannot be landed at all are kept, encrypted, under a neutral id -
``quarantine/<delivery_id>/original.fenc`` - beside a ``reason.txt`` that holds only the templated reason
and fix (never the borough's file name or anything read from the file). The run goes on with every other file.
``fhub archive open <delivery_id>`` decrypts the original for an authorised user."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

from fhub.privacy.identifiers import scrub
from fhub.privacy.vault import SUFFIX, OriginalsKey, encrypt_file

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
ORIGINAL_NAME = f"original{SUFFIX}"
REASON_NAME = "reason.txt"


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


def quarantine_folder(quarantine_root: Path, delivery_id: str) -> Path:
    folder = quarantine_root / safe_file_name(delivery_id)
    if folder.resolve().parent != quarantine_root.resolve():
        raise ValueError("a delivery id must be one path component")
    return folder


def quarantine_file(src: Path, quarantine_root: Path, delivery_id: str, reason: str, fix: str, *,
                    key: OriginalsKey, archived: Path | None = None, about: str = "") -> Path:
    """Keep the encrypted original and a ``reason.txt``; returns the folder. ``archived``: the delivery's
    archive container, hard-linked (same encrypted bytes) instead of encrypting the file again. ``about``: one
    line naming the delivery by borough, extract and period (never its file name)."""
    folder = quarantine_folder(quarantine_root, delivery_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ORIGINAL_NAME
    if not target.exists():
        if archived is not None and archived.exists():
            tmp = folder / f".{os.getpid()}.link"
            tmp.unlink(missing_ok=True)
            try:
                os.link(archived, tmp)
            except OSError:  # another file system: copy the (encrypted) bytes
                shutil.copyfile(archived, tmp)
            os.replace(tmp, target)
        else:
            encrypt_file(src, target, key)
    note = folder / REASON_NAME
    tmp_note = folder / f".{os.getpid()}.reason.tmp"
    reason, fix = scrub(reason)[0], scrub(fix)[0]  # templates; and never an identifier-like substring
    tmp_note.write_text(
        f"Delivery: {delivery_id}\n{about + chr(10) if about else ''}\nWhy it could not be landed:\n  {reason}\n\n"
        f"How to fix it:\n  {fix}\n\nThe original is kept encrypted beside this note ({ORIGINAL_NAME}). "
        f"An authorised user can decrypt it with: fhub archive open {delivery_id} --to <path>\n",
        encoding="utf-8",
    )
    os.replace(tmp_note, note)
    return folder
