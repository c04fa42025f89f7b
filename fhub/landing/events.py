"""Files in a borough's folder that are not landed as deliveries still get a receipt line, once: a hidden or
temporary file, a file still being copied, a symbolic link (refused), a folder, and identical bytes under
another period's name (a *duplicate*, :func:`fhub.landing.stage.stage`). ``landing.file_events`` remembers
each, so the line is written the first night it is seen, not every night.

Such a file is described by its kind, type, size and time, never by its name (a name is the borough's text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fhub.landing.result import DeliveryOutcome

#: Names a sender's tool writes while a file is still being copied; never landed.
PARTIAL_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".filepart")
_KNOWN_TYPES = ("csv", "txt", "xlsx", "xls", "xlsm", "ods", "zip", "tmp", "part", "partial", "crdownload",
                "filepart", "json", "xml", "pdf", "docx")


@dataclass(frozen=True)
class OtherFile:
    slug: str
    path: Path
    kind: str  # hidden | partial | symlink | folder


def other_files(incoming: Path) -> list[OtherFile]:
    """Everything directly in ``incoming/<slug>/`` that :func:`fhub.landing.discover.discover` does not
    hand on as a delivery."""
    found: list[OtherFile] = []
    if not incoming.is_dir():
        return found
    for folder in sorted(p for p in incoming.iterdir() if p.is_dir() and not p.is_symlink()):
        if folder.name.startswith("."):
            continue
        for path in sorted(folder.iterdir()):
            name = path.name
            if path.is_symlink():
                found.append(OtherFile(folder.name, path, "symlink"))
            elif path.is_dir():
                found.append(OtherFile(folder.name, path, "folder"))
            elif name.startswith((".", "~$")):
                found.append(OtherFile(folder.name, path, "hidden"))
            elif name.lower().endswith(PARTIAL_SUFFIXES):
                found.append(OtherFile(folder.name, path, "partial"))
    return found


def describe_file(path: Path) -> str:
    """'a csv file of 1,234 bytes, last modified 2024-06-01 09:12' (no part of the name but a known type)."""
    try:
        st = os.lstat(path)
    except OSError:
        return "a file that has since disappeared"
    suffix = path.suffix.lower().lstrip(".")
    kind = f"{suffix} file" if suffix in _KNOWN_TYPES else "file"
    when = dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
    if path.is_dir() and not path.is_symlink():
        return f"a folder, last modified {when}"
    return f"a {kind} of {st.st_size:,} bytes, last modified {when}"


_TEXT = {
    "hidden": ("ignored", "A hidden or temporary file ({what}; spreadsheet programs leave such files while a "
               "workbook is open) was not read.", "No action needed if it is not a delivery; otherwise save the "
               "file with an ordinary name as agreed."),
    "partial": ("ignored", "A file that looks like it is still being copied ({what}; its name ends as a "
                "partial download does) was not read.", "No action needed: it is read on the first night after "
                "the copy finishes and the file has its agreed name."),
    "symlink": ("refused", "A symbolic link (a shortcut to another file: {what}) was found; links are not "
                "followed, so nothing was read.", "Copy the file itself into the folder, named as agreed."),
    "folder": ("ignored", "A folder ({what}) was found inside the borough's folder; files in it are not read.",
               "Put each file directly in the borough's folder, named as agreed."),
}


def _key(other: OtherFile) -> str:
    try:
        st = os.lstat(other.path)
        stamp = f"{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        stamp = "gone"
    return hashlib.sha256(f"{other.kind}|{other.slug}|{other.path.name}|{stamp}".encode()).hexdigest()


def outcomes_for(con: duckdb.DuckDBPyConnection, others: list[OtherFile]) -> tuple[list[DeliveryOutcome], int]:
    """An outcome (status ``ignored`` or ``refused``) for each file not reported on an earlier night, and the
    number already reported."""
    keys = [_key(o) for o in others]
    seen: set[str] = set()
    if keys:
        seen = {r[0] for r in con.execute("select file_key from landing.file_events where file_key in "
                                          "(select unnest(?))", [keys]).fetchall()}
    outcomes = []
    for other, key in zip(others, keys, strict=True):
        if key in seen:
            continue
        status, reason, fix = _TEXT[other.kind]
        what = describe_file(other.path)
        out = DeliveryOutcome(source_file=other.path.name, borough_slug=other.slug, sha256="", status=status,
                              reason=reason.format(what=what), fix=fix, description=f"{what[0].upper()}{what[1:]}")
        out.event_key = key
        out.delivery_id = ""
        outcomes.append(out)
    return outcomes, len(seen)


def record_events(con: duckdb.DuckDBPyConnection, run_id: str, outcomes: list[DeliveryOutcome]) -> None:
    """Remember every file event of this run (ignored, refused, duplicate), so its line is written once."""
    from fhub.landing.stage import duplicate_key

    now = dt.datetime.now()
    rows = []
    for o in outcomes:
        if o.status in ("ignored", "refused") and o.event_key:
            rows.append((run_id, o.borough_slug, o.event_key, o.status, None, None, None, None, None, o.reason,
                         o.fix, now))
        elif o.status == "duplicate":
            key = duplicate_key(o.sha256, o.borough_code, o.extract_type, o.period)
            rows.append((run_id, o.borough_slug, key, "duplicate", o.sha256, o.duplicate_of, o.borough_code,
                         o.extract_type, o.period, o.reason, o.fix, now))
    if rows:
        con.executemany("insert into landing.file_events values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
