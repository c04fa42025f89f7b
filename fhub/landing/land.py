"""Entry points: :func:`land_all` (every new file under ``incoming/<slug>/``) and :func:`land_file` (one)."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb

from fhub import runinfo
from fhub.landing.confirm import Confirmed, confirm_from_mappings
from fhub.landing.ddl import ensure_landing_schema
from fhub.landing.discover import discover
from fhub.landing.engine import (
    Item,
    Prior,
    RunContext,
    group_key,
    install_macros,
    land_group,
    load_hubs,
    prepare_items,
    seen_deliveries,
    sha_and_size,
    stage,
)
from fhub.landing.events import other_files, outcomes_for, record_events
from fhub.landing.incoming import tidy_incoming
from fhub.landing.participants import land_participants
from fhub.landing.receipt_view import due_gaps
from fhub.landing.receipts import write_receipts
from fhub.landing.result import DeliveryOutcome, LandingResult
from fhub.privacy.vault import OriginalsKey
from fhub.pseudonymise import MissingKeyError
from fhub.settings import DUCKDB_DISABLED_COMPRESSION, LandingTuning, Paths, duckdb_memory_limit


def open_work_db(paths: Paths) -> duckdb.DuckDBPyConnection:
    """Open (create) the work DuckDB file with the landing schema in place."""
    paths.work_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.work_db))
    con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")
    con.execute("set preserve_insertion_order = true")
    con.execute(f"set disabled_compression_methods = '{DUCKDB_DISABLED_COMPRESSION}'")
    con.execute("set enable_progress_bar = false")
    ensure_landing_schema(con)
    return con


def load_mappings(config_dir: Path, boroughs_csv: Path | None = None) -> tuple[dict, dict[str, str]]:
    """slug → BoroughMapping for every valid mapping file; file stem → error text for a file that cannot be
    used - invalid, or its slug or borough code mapped by another file (one broken file never stops the other
    boroughs). The one loader: :func:`fhub.landing.mapping.read_borough_mappings`."""
    from fhub.landing.mapping import read_borough_mappings

    mappings, problems = read_borough_mappings(Path(config_dir), boroughs_csv=boroughs_csv)
    errors = {stem: f"The borough mapping {path.name} is invalid: {exc}" for stem, (path, exc) in problems.items()}
    return mappings, errors


def _originals_key(originals_key: OriginalsKey | None, key_label: str) -> OriginalsKey:
    """The key that encrypts originals at rest: the one given, else the labelled demo key - but only for a demo
    landing (a real pseudonymisation key means real data: never encrypt it with the demo key)."""
    if originals_key is not None:
        return originals_key
    if key_label != "demo":
        raise MissingKeyError("Landing real data needs the key that encrypts originals at rest "
                              "(fhub.privacy.vault.resolve_originals_key).")
    return OriginalsKey.demo()


def _context(con: duckdb.DuckDBPyConnection, paths: Paths, run_id: str, key: bytes, key_label: str,
             config_dir: Path | None, hubs_csv: Path | None, today: dt.date | None,
             retry_quarantined: bool, originals_key: OriginalsKey | None = None,
             tuning: LandingTuning | None = None) -> RunContext:
    originals_key = _originals_key(originals_key, key_label)
    install_macros(con)
    config = Path(config_dir or paths.borough_config)
    land_participants(con, config)
    mappings, errors = load_mappings(config)
    hubs = hubs_csv if hubs_csv is not None else paths.project / "seeds" / "reference" / "family_hubs.csv"
    return RunContext(paths=paths, run_id=run_id, key=key, key_label=key_label, mappings=mappings,
                      mapping_errors=errors, hubs_loaded=load_hubs(con, hubs), today=today or dt.date.today(),
                      retry_quarantined=retry_quarantined, originals_key=originals_key,
                      tuning=tuning or LandingTuning())


def land_all(paths: Paths, run_id: str, key: bytes, *, key_label: str, config_dir: Path | None = None,
             progress: Callable[[str], None] | None = None, hubs_csv: Path | None = None,
             today: dt.date | None = None, retry_quarantined: bool = False,
             originals_key: OriginalsKey | None = None, incoming_after: str = "keep",
             code_version: str | None = None, report_missing: bool = True,
             tuning: LandingTuning | None = None) -> LandingResult:
    """Land every new file under ``paths.incoming/<slug>/``. Idempotent (by sha256). Files are landed in
    groups (same borough, file spec and column layout), one pass and one transaction per group; the
    connection is closed before returning. ``progress(message)`` is called once per file, after the
    transaction that recorded it has committed (so a kill between messages loses nothing committed).

    Originals are kept encrypted with ``originals_key`` (default: the demo key, for demo landings only).
    ``incoming_after="remove"`` deletes each recorded file from incoming/ once the night's landing has
    committed (:mod:`fhub.landing.incoming`; the nightly's default); ``"keep"`` leaves incoming/ alone.
    ``code_version`` is recorded in ``landing.runs`` (default: :func:`fhub.runinfo.code_version`). ``tuning``:
    landing's tuning knobs, resolved at the entry point (default: :class:`fhub.settings.LandingTuning`'s)."""
    paths.ensure()
    result = LandingResult(run_id=run_id)
    con = open_work_db(paths)
    try:
        con.execute("insert into landing.runs values (?, ?, null, ?, ?) on conflict do nothing",
                    [run_id, dt.datetime.now(), "demo" if key_label == "demo" else "production",
                     code_version or runinfo.code_version(paths.project)])
        rc = _context(con, paths, run_id, key, key_label, config_dir, hubs_csv, today, retry_quarantined,
                      originals_key, tuning)
        confirmed = [_confirmed_outcome(c) for c in confirm_from_mappings(con, rc.mappings, run_id)]
        files = discover(paths.incoming)
        others, _ = outcomes_for(con, other_files(paths.incoming))
        counter = _Counter(len(files) + len(others), progress)
        counter.report(others)
        result.deliveries = confirmed + others + _land_many(
            con, rc, [(d.slug, d.path, dt.datetime.fromtimestamp(d.mtime)) for d in files], counter)
        record_events(con, run_id, result.deliveries)
        reportable = [o for o in result.deliveries if o.status != "skipped"]
        gaps = due_gaps(con, rc.mappings, paths.project, rc.today) if report_missing else {}
        every_borough = {slug: m.borough_code for slug, m in rc.mappings.items()} if report_missing else None
        result.receipts = write_receipts(con, paths.receipts, run_id, reportable, key_label, gaps, rc.today,
                                         boroughs=every_borough)
        con.execute("update landing.runs set finished_at = ? where run_id = ?", [dt.datetime.now(), run_id])
        con.execute("checkpoint")
    finally:
        con.close()
    if incoming_after != "keep":
        result.removed_from_incoming = tidy_incoming(paths, [(d.slug, d.path) for d in files], result.deliveries,
                                                     incoming_after, {d.path: (d.size, d.mtime) for d in files})
    return result


class _Counter:
    """Progress messages: one line per file that needs a reader's attention (quarantined, waiting,
    superseded, rows rejected or warned), one line for the files of a group that all landed cleanly, and one
    line for the files skipped because their bytes were received on an earlier night. A London full night
    lands 6,000+ files in ~20 groups, and every later night finds them in incoming/ again; a line per file
    reached the Prefect API as 6,000 log records (~10 s) without telling an operator more than the receipts
    do."""

    def __init__(self, total: int, progress: Callable[[str], None] | None):
        self.total, self.done, self.progress = total, 0, progress

    def report_skipped(self, skipped: list[DeliveryOutcome], statuses: dict[str, int]) -> None:
        """One line for files already received (``statuses``: what those earlier receipts ended as)."""
        if not skipped:
            return
        if len(skipped) == 1:
            self.report(skipped)
            return
        self.done += len(skipped)
        if self.progress:
            earlier = ", ".join(f"{n:,} {status}" for status, n in sorted(statuses.items()))
            folders = _plural(len({o.borough_slug for o in skipped}), "borough folder")
            self.progress(f"[{self.done}/{self.total}] {len(skipped):,} files skipped: these exact bytes were "
                          f"received on an earlier run ({earlier}; {folders}); nothing was changed. Each file's "
                          "first receipt is in receipts/.")

    def report(self, outcomes: list[DeliveryOutcome]) -> None:
        clean = [o for o in outcomes if _is_clean(o)]
        if len(clean) == 1:
            clean = []
        grouped = {id(o) for o in clean}
        for o in outcomes:
            if id(o) in grouped:
                continue
            self.done += 1
            if self.progress:
                self.progress(_progress_line(self.done, self.total, o))
        if clean:
            self.done += len(clean)
            if self.progress:
                self.progress(_group_line(self.done, self.total, clean))


def _is_clean(o: DeliveryOutcome) -> bool:
    return (o.status == "landed" and o.rows_rejected == 0 and o.rows_warned == 0 and not o.file_warnings
            and not o.supersedes)


def _group_line(done: int, total: int, clean: list[DeliveryOutcome]) -> str:
    extracts = ", ".join(sorted({str(o.extract_type) for o in clean}))
    boroughs = sorted({o.borough_slug for o in clean})
    where = boroughs[0] if len(boroughs) == 1 else f"{len(boroughs)} boroughs"
    periods = sorted(str(o.period) for o in clean)
    return (f"[{done}/{total}] {len(clean)} files landed cleanly ({extracts}, {where}, {periods[0]} to "
            f"{periods[-1]}): {sum(o.rows_landed for o in clean):,} rows; each file's receipt is in receipts/")


def _land_many(con: duckdb.DuckDBPyConnection, rc: RunContext,
               files: list[tuple[str, Path, dt.datetime]], counter: _Counter) -> list[DeliveryOutcome]:
    hashed = [(slug, path, received, *sha_and_size(path)) for slug, path, received in files]
    seen = seen_deliveries(con, [h[3] for h in hashed])
    outcomes: list[DeliveryOutcome] = []
    groups: dict[tuple, list[Item]] = {}
    first: dict[str, DeliveryOutcome] = {}  # sha → outcome of the first file with these bytes in this run
    repeats: list[tuple] = []  # same bytes as an earlier file of this run: decided once that one has landed
    to_prepare: list[Item] = []
    skipped: list[DeliveryOutcome] = []
    for slug, path, received, sha, size in hashed:
        if sha in first and sha not in seen:
            repeats.append((slug, path, received, sha, size))
            continue
        staged = stage(con, rc, slug, path, sha, size, received, seen.get(sha))
        if isinstance(staged, Item):
            first.setdefault(sha, staged.out)
            to_prepare.append(staged)
        else:
            first.setdefault(sha, staged)
            outcomes.append(staged)
            if staged.status == "skipped":
                skipped.append(staged)
            else:
                counter.report([staged])
    counter.report_skipped(skipped, Counter(seen[o.sha256].status for o in skipped))
    for prepared in prepare_items(con, rc, to_prepare):
        if isinstance(prepared, Item):
            groups.setdefault(group_key(prepared), []).append(prepared)
        else:
            outcomes.append(prepared)
            counter.report([prepared])
    if groups:
        os.sync()  # every archived original is on disk before any delivery is recorded
    for items in groups.values():
        for chunk in _chunks(items, rc.tuning.group_bytes):  # bounds memory and the work lost to a kill
            done = land_group(con, rc, chunk)
            outcomes += done
            counter.report(done)
    for slug, path, received, sha, size in repeats:
        o = first[sha]
        prior = Prior(o.status if o.status != "skipped" else "landed", o.source_file, rc.run_id,
                      o.rows_delivered if o.status != "skipped" else 1, o.borough_code, o.extract_type, o.period,
                      o.label)
        staged = stage(con, rc, slug, path, sha, size, received, prior)
        if isinstance(staged, Item):
            staged = prepare_items(con, rc, [staged])[0]
        done = land_group(con, rc, [staged]) if isinstance(staged, Item) else [staged]
        outcomes += done
        counter.report(done)
    return outcomes


def _chunks(items: list[Item], limit: int) -> list[list[Item]]:
    chunks: list[list[Item]] = [[]]
    size = 0
    for it in items:
        if chunks[-1] and size + it.size > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(it)
        size += it.size
    return chunks


def land_file(paths: Paths, file_path: Path, run_id: str, key: bytes, *, key_label: str,
              config_dir: Path | None = None, slug: str | None = None, hubs_csv: Path | None = None,
              today: dt.date | None = None, con: duckdb.DuckDBPyConnection | None = None,
              write_receipt: bool = True, originals_key: OriginalsKey | None = None,
              tuning: LandingTuning | None = None) -> DeliveryOutcome:
    """Land one file (its borough is ``slug``, default: the name of its parent folder) and write its receipt.
    Uses ``con`` if given (left open), else opens and closes the work file."""
    file_path = Path(file_path)
    own = con is None
    con = con or open_work_db(paths)
    try:
        rc = _context(con, paths, run_id, key, key_label, config_dir, hubs_csv, today, False, originals_key,
                      tuning)
        received = dt.datetime.fromtimestamp(file_path.stat().st_mtime)
        outcome = _land_many(con, rc, [(slug or file_path.parent.name, file_path, received)],
                             _Counter(1, None))[0]
        record_events(con, run_id, [outcome])
        if write_receipt:
            write_receipts(con, paths.receipts, run_id, [outcome], key_label)
        return outcome
    finally:
        if own:
            con.close()


def withdraw_delivery(paths: Paths, delivery_id: str, run_id: str, reason: str) -> str:
    """Withdraw a landed delivery deliberately (e.g. a borough confirms a period had no activity after all):
    its status becomes ``superseded`` with no ``superseded_by``, so its rows stop counting; its raw rows and
    history stay. The reason (the hub data team's words, never a borough's file content) is recorded as a
    file-level warning of the delivery. Returns the delivery's label.
    An empty resubmission never does this on its own (see the bad-input catalogue: nil returns)."""
    if not reason.strip():
        raise ValueError("Say why the delivery is withdrawn.")
    con = open_work_db(paths)
    try:
        row = con.execute("select source_file, status, delivery_label from landing.deliveries "
                          "where delivery_id = ?", [delivery_id]).fetchone()
        if row is None or row[1] != "landed":
            raise ValueError(f"Delivery {delivery_id} is not a landed delivery (status: {row and row[1]}).")
        con.execute("begin transaction")
        con.execute("update landing.deliveries set status = 'superseded', superseded_by = null "
                    "where delivery_id = ?", [delivery_id])
        con.execute("insert into landing.warnings values (?, ?, null, null, null, null, ?, ?, ?)",
                    [delivery_id, row[0], f"Withdrawn by the hub data team: {reason}",
                     "Send a new file for the period if it should count again.", run_id])
        con.execute("commit")
        return row[2]
    finally:
        con.close()


def _confirmed_outcome(c: Confirmed) -> DeliveryOutcome:
    """A receipt line for a held resubmission the borough confirmed in its mapping file."""
    out = DeliveryOutcome(source_file=c.source_file, borough_slug=c.borough_slug, sha256=c.delivery_id,
                          status="confirmed", extract_type=c.extract_type, period=c.period, reason=c.message,
                          fix="No action needed.")
    out.delivery_id = c.delivery_id
    return out


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _progress_line(i: int, n: int, o: DeliveryOutcome) -> str:
    """One file's line for the run log (Prefect's log database): named by its label, never its file name;
    reasons are templates."""
    head = f"[{i}/{n}] {o.label}: "
    if o.status in ("landed", "superseded"):
        notes = []
        if o.rows_warned:
            notes.append(f"{o.rows_warned:,} rows landed with a warning")
        if o.file_warnings:
            notes.append(_plural(len(o.file_warnings), "warning") + " about the whole file")
        if o.supersedes:
            notes.append("replaces " + _plural(len(o.supersedes), "earlier delivery", "earlier deliveries"))
        line = f"{o.status}: {o.rows_landed:,} landed, {o.rows_rejected:,} rejected of {o.rows_delivered:,}"
        return head + line + (f" ({'; '.join(notes)}: see the receipt)" if notes else "")
    return head + f"{o.status}" + (f" — {o.reason}" if o.reason else "")
