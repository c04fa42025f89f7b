"""The stored originals (encrypted at rest): find one, open it for an authorised user, purge those past the
retention period, and encrypt any plaintext original left by an older version of the pipeline.

Layout (:mod:`fhub.landing.archive`, :mod:`fhub.landing.quarantine`)::

    archive/<sha256[:2]>/<sha256>.fenc         every delivered file, content-addressed
    quarantine/<delivery_id>/original.fenc     a file that could not be landed (a hard link to its archive copy)
    quarantine/<delivery_id>/reason.txt        the templated reason and fix only
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.landing.archive import archive_path
from fhub.landing.quarantine import ORIGINAL_NAME, REASON_NAME, quarantine_folder
from fhub.privacy.vault import SUFFIX, OriginalsKey, decrypt_file, encrypt_file, is_encrypted
from fhub.settings import Paths

#: Originals are kept this many days after they were first received, then purged by the nightly.
DEFAULT_RETENTION_DAYS = 400
RETENTION_ENV = "FHUB_ORIGINALS_RETENTION_DAYS"
_SHA = re.compile(r"^[0-9a-f]{64}$")


def retention_days(value: str | None) -> int:
    """Validate ``FHUB_ORIGINALS_RETENTION_DAYS`` (empty: the default)."""
    if not value:
        return DEFAULT_RETENTION_DAYS
    days = int(value)
    if days < 1:
        raise ValueError(f"{RETENTION_ENV} must be a whole number of days, at least 1.")
    return days


@dataclass(frozen=True)
class StoredOriginal:
    delivery_id: str | None
    sha256: str | None
    location: str  # archive | quarantine
    path: Path


def _delivery(con: duckdb.DuckDBPyConnection | None, delivery_id: str) -> tuple | None:
    if con is None:
        return None
    return con.execute("select sha256, borough_code, extract_type, period from landing.deliveries "
                       "where delivery_id = ?", [delivery_id]).fetchone()


def find_original(paths: Paths, delivery_id: str, con: duckdb.DuckDBPyConnection | None = None) -> StoredOriginal:
    """Where the encrypted original of ``delivery_id`` is (quarantine first, then the archive).
    Raises :class:`FileNotFoundError` with a plain message when there is none (never received, or purged)."""
    if not re.fullmatch(r"[0-9a-f]{8,64}", delivery_id or ""):
        raise FileNotFoundError("A delivery id is the 64-character hexadecimal id shown in receipts and ledgers.")
    folder = quarantine_folder(paths.quarantine, delivery_id)
    if (folder / ORIGINAL_NAME).exists():
        row = _delivery(con, delivery_id)
        return StoredOriginal(delivery_id, row[0] if row else None, "quarantine", folder / ORIGINAL_NAME)
    row = _delivery(con, delivery_id)
    sha = row[0] if row else (delivery_id if _SHA.match(delivery_id) else None)
    if sha and archive_path(paths.archive, sha).exists():
        return StoredOriginal(delivery_id, sha, "archive", archive_path(paths.archive, sha))
    raise FileNotFoundError(f"No stored original for delivery {delivery_id}: it was never received, or it was "
                            "purged after the retention period (see landing.originals_purged).")


def open_original(paths: Paths, con: duckdb.DuckDBPyConnection, delivery_id: str, dest: Path, key: OriginalsKey,
                  *, purpose: str = "", opened_by: str | None = None) -> StoredOriginal:
    """Decrypt one original to ``dest`` (a new file, mode 0600; verified against its sealed checksum) and record
    who opened it and why in ``landing.originals_opened``."""
    found = find_original(paths, delivery_id, con)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    decrypt_file(found.path, dest, key)
    con.execute("insert into landing.originals_opened values (?, ?, ?, ?, ?)",
                [dt.datetime.now(), delivery_id, found.location, opened_by or _user(), purpose or None])
    return found


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def stored_originals(paths: Paths) -> list[StoredOriginal]:
    """Every encrypted original on disk."""
    found: list[StoredOriginal] = []
    if paths.archive.is_dir():
        for path in sorted(paths.archive.glob(f"*/*{SUFFIX}")):
            sha = path.name[: -len(SUFFIX)]
            found.append(StoredOriginal(None, sha if _SHA.match(sha) else None, "archive", path))
    if paths.quarantine.is_dir():
        for path in sorted(paths.quarantine.glob(f"*/{ORIGINAL_NAME}")):
            found.append(StoredOriginal(path.parent.name, None, "quarantine", path))
    return found


@dataclass
class PurgeResult:
    purged: list[StoredOriginal] = field(default_factory=list)
    kept: int = 0

    def summary(self, days: int) -> str:
        return (f"{len(self.purged)} stored original(s) older than {days} days purged (ledger: "
                f"landing.originals_purged); {self.kept} kept")


def purge_expired(con: duckdb.DuckDBPyConnection, paths: Paths, run_id: str | None, days: int,
                  now: dt.datetime | None = None) -> PurgeResult:
    """Delete every stored original first received more than ``days`` ago, one ledger row each. "First
    received" is the earliest ``loaded_at`` of the deliveries with those bytes (archive) or the quarantine
    time (quarantine); an original no delivery recorded counts from its file's modification time."""
    now = now or dt.datetime.now()
    cutoff = now - dt.timedelta(days=days)
    archived = {r[0]: r[1:] for r in con.execute(
        "select sha256, min(loaded_at), arg_min(delivery_id, loaded_at), arg_min(borough_code, loaded_at), "
        "arg_min(extract_type, loaded_at), arg_min(period, loaded_at) from landing.deliveries group by sha256"
    ).fetchall()}
    quarantined = {r[0]: r[1:] for r in con.execute(
        "select q.delivery_id, min(q.quarantined_at), any_value(d.sha256), any_value(d.borough_code), "
        "any_value(d.extract_type), any_value(d.period) from landing.quarantine q "
        "left join landing.deliveries d using (delivery_id) group by q.delivery_id"
    ).fetchall()}
    result = PurgeResult()
    for original in stored_originals(paths):
        if original.location == "archive":
            since, delivery_id, borough, extract, period = archived.get(original.sha256, (None,) * 5)
            sha = original.sha256
        else:
            since, sha, borough, extract, period = quarantined.get(original.delivery_id, (None,) * 5)
            delivery_id = original.delivery_id
        if since is None:
            since = dt.datetime.fromtimestamp(original.path.stat().st_mtime)
        if since >= cutoff:
            result.kept += 1
            continue
        con.execute("insert into landing.originals_purged values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [delivery_id, sha, borough, extract, period, original.location, since, now, days, run_id])
        if original.location == "quarantine":
            shutil.rmtree(original.path.parent, ignore_errors=True)
        else:
            original.path.unlink(missing_ok=True)
        result.purged.append(original)
    return result


def encrypt_plaintext_originals(paths: Paths, key: OriginalsKey) -> int:
    """Encrypt originals an older version of the pipeline stored in plaintext (``archive/<xx>/<sha256>``,
    ``quarantine/<sha256>/<file name>``) and delete the plaintext; a quarantine note's ``File:`` line (the
    borough's file name) is dropped. Also removes temporary copies a killed landing left in
    ``work/landing-tmp/``. Returns the number of originals encrypted."""
    done = 0
    if paths.archive.is_dir():
        for path in sorted(paths.archive.glob("*/*")):
            if path.is_file() and _SHA.match(path.name) and not is_encrypted(path):
                dest = archive_path(paths.archive, path.name)
                if not dest.exists():
                    encrypt_file(path, dest, key)
                path.unlink()
                done += 1
    if paths.quarantine.is_dir():
        for folder in sorted(p for p in paths.quarantine.iterdir() if p.is_dir()):
            for path in sorted(folder.iterdir()):
                if path.name in (ORIGINAL_NAME, REASON_NAME) or path.name.startswith(".") or not path.is_file():
                    continue
                if not is_encrypted(path):
                    if not (folder / ORIGINAL_NAME).exists():
                        encrypt_file(path, folder / ORIGINAL_NAME, key)
                    path.unlink()
                    done += 1
            note = folder / REASON_NAME
            if note.exists():
                text = note.read_text(encoding="utf-8", errors="replace")
                if text.startswith("File: "):
                    note.write_text(text.split("\n", 1)[1] if "\n" in text else "", encoding="utf-8")
    shutil.rmtree(paths.work_dir / "landing-tmp", ignore_errors=True)
    return done
