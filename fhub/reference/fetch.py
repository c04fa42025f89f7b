"""``fhub reference fetch``: every pinned reference file from its publisher into the reference folder.

For each file (``config/reference/downloads.yml``):

* already in place with the pinned bytes -> left alone (``--force`` downloads again);
* downloaded (URLs in order, through ``FHUB_REFERENCE_MIRROR`` when set) to a temporary file, size and sha256
  checked against the pin, then renamed into place atomically: a reader sees the old file or the new one;
* bytes that differ from the pin (the publisher changed the file) or a file with no pin yet are NOT installed:
  they are kept in ``.pending/`` and the outcome names the new size and sha256. Only
  ``--accept-new TABLE`` installs them and records the hash in ``pins.local.yml`` (see :mod:`.pins`), so
  published figures never change without someone deciding they should.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fhub.reference.download import DownloadError, download, host_of, install, mirror_url
from fhub.reference.pins import (
    Download,
    Pin,
    config_snippet,
    effective_pin,
    load_downloads,
    read_local_pins,
    record_local_pin,
)

Progress = Callable[[str], None] | None
PENDING_DIR = ".pending"

#: Outcome statuses. ``present``/``fetched``/``accepted`` leave a verified file in place.
OK_STATUSES = ("present", "fetched", "accepted")


@dataclass(frozen=True)
class FetchOutcome:
    table: str
    path: str
    status: str  # present | fetched | accepted | changed_upstream | unpinned | failed
    message: str
    sha256: str | None = None
    size: int | None = None
    url: str | None = None


@dataclass
class FetchReport:
    reference_dir: Path
    outcomes: list[FetchOutcome] = field(default_factory=list)

    def by_status(self, *statuses: str) -> list[FetchOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def ok(self) -> bool:
        """Every pinned file is in place (files waiting for a first ``--accept-new`` do not fail the fetch)."""
        return not self.by_status("failed", "changed_upstream")

    def summary(self) -> str:
        counts = {s: len(self.by_status(s)) for s in (*OK_STATUSES, "changed_upstream", "unpinned", "failed")}
        parts = [f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n]
        return f"reference files in {self.reference_dir}: " + (", ".join(parts) or "nothing to do")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _short(sha: str) -> str:
    return sha[:12]


def pending_paths(reference_dir: Path, table: str) -> tuple[Path, Path]:
    folder = reference_dir / PENDING_DIR
    return folder / f"{table}.pending", folder / f"{table}.pending.json"


def _keep_pending(reference_dir: Path, download_: Download, tmp: Path, sha: str, size: int, url: str) -> None:
    data, meta = pending_paths(reference_dir, download_.table)
    data.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, data)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    meta.write_text(json.dumps({"sha256": sha, "size": size, "url": url, "downloaded_at": stamp}, indent=1))


def _discard_pending(reference_dir: Path, table: str) -> None:
    for p in pending_paths(reference_dir, table):
        p.unlink(missing_ok=True)


def select(downloads: Iterable[Download], tables: Iterable[str] | None) -> list[Download]:
    """The downloads named (all when ``tables`` is empty); an unknown name is an error listing the known ones."""
    downloads = list(downloads)
    wanted = list(tables or [])
    known = {d.table for d in downloads}
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise ValueError(
            f"unknown reference table(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return [d for d in downloads if not wanted or d.table in wanted]


def fetch_references(
    reference_dir: Path,
    *,
    downloads: Iterable[Download] | None = None,
    tables: Iterable[str] | None = None,
    accept_new: Iterable[str] = (),
    mirror: str | None = None,
    force: bool = False,
    timeout: float = 60.0,
    attempts: int = 3,
    backoff: float = 2.0,
    progress: Progress = None,
) -> FetchReport:
    """Fetch the selected files (all by default) into ``reference_dir``; see the module docstring."""
    say = progress or (lambda _m: None)
    all_downloads = list(downloads if downloads is not None else load_downloads())
    accept = set(accept_new)
    select(all_downloads, accept)  # an unknown --accept-new name is an error before anything is downloaded
    chosen = select(all_downloads, list(tables or []) + sorted(accept) if tables else None)
    report = FetchReport(reference_dir)
    local = read_local_pins(reference_dir)
    unreachable: dict[
        str, str
    ] = {}  # host -> why: a host that cannot be reached is not retried for every file
    for d in chosen:
        outcome = _fetch_one(
            reference_dir,
            d,
            effective_pin(d, local),
            accept=d.table in accept,
            mirror=mirror,
            force=force,
            options={"timeout": timeout, "attempts": attempts, "backoff": backoff},
            unreachable=unreachable,
        )
        report.outcomes.append(outcome)
        say(f"{d.table}: {outcome.message}")
    return report


def _fetch_one(
    reference_dir: Path,
    d: Download,
    pin: Pin,
    *,
    accept: bool,
    mirror: str | None,
    force: bool,
    options: dict,
    unreachable: dict[str, str],
) -> FetchOutcome:
    dest = reference_dir / d.path
    if pin.stale_local:
        stale = (
            f"(the pin accepted on this machine, {_short(pin.stale_local['sha256'])}, no longer applies: "
            "config/reference/downloads.yml changed since) "
        )
    else:
        stale = ""
    # 1. already in place with the pinned bytes
    if dest.exists() and not force and pin.sha256 is not None:
        have = sha256_of(dest)
        if have == pin.sha256 and dest.stat().st_size == pin.size:
            _discard_pending(reference_dir, d.table)
            return FetchOutcome(
                d.table,
                d.path,
                "present",
                f"{stale}in place, sha256 {_short(have)} as pinned",
                have,
                pin.size,
            )
    # 2. accepting what was kept aside for review
    pending, meta_path = pending_paths(reference_dir, d.table)
    if accept and not force and pending.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if sha256_of(pending) == meta["sha256"]:
            install(pending, dest)
            meta_path.unlink(missing_ok=True)
            return _accepted(reference_dir, d, pin, meta["sha256"], int(meta["size"]), meta["url"], "kept")
    _discard_pending(reference_dir, d.table)
    # 3. download, URL by URL
    failures: list[str] = []
    for src in d.urls:
        url = mirror_url(src.url, mirror)
        host = host_of(url)
        if host in unreachable:
            failures.append(f"{url}: not tried, {host} could not be reached earlier ({unreachable[host]})")
            continue
        try:
            got = download(url, dest, extract=src.extract, **options)
        except DownloadError as exc:
            failures.append(f"{url}: {exc}")
            if exc.unreachable:
                unreachable[host] = str(exc)
            continue
        where = f"from {host_of(url)}" + (f" ({src.extract} in the ZIP)" if src.extract else "")
        if pin.sha256 is not None and got.sha256 == pin.sha256 and got.size == pin.size:
            install(got.path, dest)
            return FetchOutcome(
                d.table,
                d.path,
                "fetched",
                f"{stale}fetched {got.size:,} bytes {where}, sha256 {_short(got.sha256)} as pinned",
                got.sha256,
                got.size,
                url,
            )
        if accept:
            install(got.path, dest)
            return _accepted(reference_dir, d, pin, got.sha256, got.size, url, "downloaded")
        _keep_pending(reference_dir, d, got.path, got.sha256, got.size, url)
        kept = f"kept for review in {PENDING_DIR}/{d.table}.pending, not used"
        if pin.sha256 is None:
            return FetchOutcome(
                d.table,
                d.path,
                "unpinned",
                f"no pin yet (its bytes were not known offline): downloaded {got.size:,} bytes {where}, "
                f"sha256 {got.sha256}; {kept}. Check it, then run "
                f"`fhub reference fetch --accept-new {d.table}` to pin and use it.",
                got.sha256,
                got.size,
                url,
            )
        return FetchOutcome(
            d.table,
            d.path,
            "changed_upstream",
            f"{stale}CHANGED UPSTREAM: {url} now serves {got.size:,} bytes with sha256 {got.sha256}; the pin "
            f"({pin.source}) is {pin.size:,} bytes, sha256 {pin.sha256}. Published figures stay on the pinned "
            f"file; the new one is {kept}. To take it: `fhub reference fetch --accept-new {d.table}`.",
            got.sha256,
            got.size,
            url,
        )
    present = " (the file already in place is kept)" if dest.exists() else ""
    return FetchOutcome(
        d.table,
        d.path,
        "failed",
        f"{stale}NOT FETCHED{present}: " + "; ".join(failures) + ". Check the network or proxy "
        "(HTTPS_PROXY, FHUB_REFERENCE_MIRROR) and run `fhub reference fetch` again.",
    )


def _accepted(
    reference_dir: Path, d: Download, pin: Pin, sha: str, size: int, url: str, how: str
) -> FetchOutcome:
    pins_file = record_local_pin(reference_dir, d, sha, size, url)
    was = f"was {_short(pin.sha256)} ({pin.source})" if pin.sha256 else "no pin before"
    message = (
        f"ACCEPTED the {how} file: {size:,} bytes, sha256 {sha} ({was}); recorded in {pins_file}. "
        "To pin it for everyone, put in config/reference/downloads.yml:\n" + config_snippet(d, sha, size)
    )
    return FetchOutcome(d.table, d.path, "accepted", message, sha, size, url)


@dataclass(frozen=True)
class FileStatus:
    table: str
    path: str
    pin: Pin
    state: str  # verified | missing | differs | unpinned
    sha256: str | None = None


def reference_status(reference_dir: Path, downloads: Iterable[Download] | None = None) -> list[FileStatus]:
    """What is in the reference folder, file by file, against the pin in force."""
    local = read_local_pins(reference_dir)
    out = []
    for d in downloads if downloads is not None else load_downloads():
        pin = effective_pin(d, local)
        dest = reference_dir / d.path
        if not dest.exists():
            out.append(FileStatus(d.table, d.path, pin, "missing"))
            continue
        have = sha256_of(dest)
        if pin.sha256 is None:
            state = "unpinned"
        elif have == pin.sha256 and dest.stat().st_size == pin.size:
            state = "verified"
        else:
            state = "differs"
        out.append(FileStatus(d.table, d.path, pin, state, have))
    return out
