"""Land delivered files, set-based per group.

Per file (cheap, Python): hash → skip if already received → archive → match mapping (:func:`stage`), then
read it (:func:`prepare_items`, a small thread pool): find the heading row (transcode / stream XLSX to CSV) →
plan columns. A file that fails here is quarantined on its own.

Per group of files with the same mapping content (boroughs on the same case-management system share it),
way of reading and column layout (:func:`group_key`, :func:`land_group`): ONE
``read_csv([...])`` over all files, ONE mapping/validation pass (SQL planned once per group, not per file),
identifiers hashed once per distinct value, and ONE transaction writing raw rows, rejects, warnings and
``landing.deliveries`` for every file in the group. Per-file accounting is by grouping on the file number.
A file found broken during the group pass (unterminated quote, another borough's data) is taken out of the
group before anything is written; a file that is not UTF-8 is retried as Windows-1252 in its own group. If
the group pass itself fails unexpectedly, each file is retried alone, so one bad file never stops another.
A kill -9 mid-group leaves nothing of that group in the work file; the next run lands it again (files are
idempotent by sha256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fhub.contracts import LINEAGE_COLUMNS, Contract
from fhub.landing.archive import archive_file, archive_path, sha256_file
from fhub.landing.columns import ColumnPlan, plan_columns
from fhub.landing.quarantine import Unlandable, quarantine_file
from fhub.landing.read import Prepared, prepare_csv, prepare_xlsx
from fhub.landing.result import DeliveryOutcome
from fhub.landing.scan import scan_group
from fhub.landing.sqlkit import ident, lit
from fhub.landing.validate import Context, build_mapped, collect_problems
from fhub.privacy import duckdb_functions
from fhub.privacy.identifiers import scrub
from fhub.privacy.messages import masked_file_name
from fhub.privacy.vault import OriginalsKey
from fhub.pseudonymise import normalise_identifier
from fhub.settings import Paths

_log = logging.getLogger("fhub.landing")
_TEMPS = ("_src0", "_bounds", "_struct", "_gaps", "_m", "_rej", "_warn", "_bad", "_rejl", "_files",
          "_csv_rejects", "_csv_scans", "_sup", "_newkeys")


@dataclass
class RunContext:
    paths: Paths
    run_id: str
    key: bytes
    key_label: str
    mappings: dict[str, Any]  # slug → BoroughMapping
    mapping_errors: dict[str, str]  # slug → why its mapping could not be loaded
    hubs_loaded: bool
    today: dt.date
    retry_quarantined: bool = False
    #: encrypts the originals kept in archive/ and quarantine/ (:mod:`fhub.privacy.vault`)
    originals_key: OriginalsKey = field(default_factory=OriginalsKey.demo)


@dataclass
class Item:
    """One new delivered file on its way through landing."""

    slug: str
    path: Path
    size: int
    received_at: dt.datetime
    out: DeliveryOutcome
    mapping: Any = None
    spec: Any = None
    spec_index: int = -1
    prep: Prepared | None = None
    plan: ColumnPlan | None = None
    tmp: Path | None = None
    encoding_retry: bool = False
    retry_quarantined: bool = False
    warnings: list[tuple[str | None, str, str]] = field(default_factory=list)
    #: (status, superseded_by) to record when a later file of the same group replaced this one
    db_status: tuple[str, str] | None = None

    @property
    def sha(self) -> str:
        """The delivery id (= sha256 of the bytes, see :func:`nil_return_id` for the one exception)."""
        return self.out.delivery_id


def load_hubs(con: duckdb.DuckDBPyConnection, hubs_csv: Path | None) -> bool:
    """The known family hubs: the London seed plus ``landing.extra_family_hubs`` (authorities that joined by
    configuration, :mod:`fhub.landing.participants`)."""
    from fhub.landing.participants import ensure_participant_tables

    if hubs_csv is None or not Path(hubs_csv).exists():
        return False
    ensure_participant_tables(con)
    con.execute(f"create or replace temp table _hubs as select distinct hub_id, borough_code from ("
                f"select hub_id, borough_code from read_csv({lit(str(hubs_csv))}, header = true, all_varchar = true)"
                " union all select hub_id, borough_code from landing.extra_family_hubs)")
    return True


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The identifier rules as DuckDB functions (``fhub_scrub``, ``fhub_identifier_kinds``, ``fhub_shape``) and
    the connection's key cache."""
    duckdb_functions.register(con)
    con.execute("create temp table if not exists _keycache (v varchar, k varchar)")


# ---------------------------------------------------------------------------------------------------
# per file: stage
# ---------------------------------------------------------------------------------------------------
def _match(rc: RunContext, slug: str, name: str) -> tuple[Any, Any, int, str]:
    from fhub.mapping import PeriodError

    mapping = rc.mappings.get(slug)
    if mapping is None:
        raise LookupError(rc.mapping_errors.get(slug) or f"No borough mapping file config/boroughs/{slug}.yml "
                          f"for the folder incoming/{slug}/.")
    try:
        hit = mapping.match(name)
    except PeriodError as exc:
        spec = next((s for s in mapping.files if s.regex.fullmatch(name)), None)
        what = f"{spec.extract} file" if spec else "file"
        raise Unlandable(f"The {what}'s name follows the agreed pattern, but the reporting period in it is not a "
                         f"real {spec.period_format if spec else 'period'}.",
                         "Rename the file with the correct period and send it again.") from exc
    if hit is None:  # the name is not shown (it may hold a name or an NHS number): its shape is
        patterns = "; ".join(f"{s.extract}: {s.pattern}" for s in mapping.files)
        raise Unlandable(
            f"The file name ({masked_file_name(name)}) does not match any agreed file name for "
            f"{mapping.borough_name}, so its extract type and period are unknown. It was set aside under its "
            "delivery id.",
            f"Name the file as agreed (patterns: {patterns}). Files for another borough belong in that "
            "borough's folder.",
        )
    spec, period = hit
    index = next(i for i, s in enumerate(mapping.files) if s is spec)
    return mapping, spec, index, period


def _prepare(item: Item) -> None:
    spec, path = item.spec, item.path
    item.tmp.mkdir(parents=True, exist_ok=True)
    if str(spec.format).lower() == "xlsx":
        item.prep = prepare_xlsx(path, spec, item.tmp)
    else:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        if magic == b"PK\x03\x04":
            raise Unlandable("The file is an Excel workbook (or other zip file), but a CSV file was agreed.",
                             "Save the sheet as 'CSV UTF-8 (Comma delimited)' and send that instead.")
        item.prep = prepare_csv(path, spec, item.tmp, force_encoding="cp1252" if item.encoding_retry else None)
        if item.encoding_retry:
            item.prep.warnings.append((
                "The file is not UTF-8 text; it was read as Windows-1252 (Excel's 'CSV').",
                "No action needed, but exporting as 'CSV UTF-8' avoids wrong characters."))
    item.plan = plan_columns(item.prep.headers, spec)


@dataclass(frozen=True)
class Prior:
    """What is already known about a delivery with the same bytes."""

    status: str
    source_file: str
    run_id: str
    rows_delivered: int = 0
    borough_code: str | None = None
    extract_type: str | None = None
    period: str | None = None
    label: str | None = None  # how messages name it (never by its file name)


def seen_deliveries(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Prior]:
    """delivery id → :class:`Prior` for ids already in ``landing.deliveries`` (one query)."""
    if not ids:
        return {}
    con.execute("create or replace temp table _shas as select unnest(?) as sha", [ids])
    rows = con.execute("select delivery_id, status, source_file, run_id, rows_delivered, borough_code, "
                       "extract_type, period, delivery_label from landing.deliveries join _shas on sha = delivery_id"
                       ).fetchall()
    con.execute("drop table _shas")
    return {r[0]: Prior(*r[1:]) for r in rows}


def nil_return_id(sha: str, borough_code: str, extract: str, period: str) -> str:
    """Delivery id of a nil return whose bytes equal an earlier nil return for another period (a borough's
    header-only files are byte-identical every month, but each month's nil return must be recorded)."""
    return hashlib.sha256(f"{sha}|{borough_code}|{extract}|{period}".encode()).hexdigest()


def _nil_return_again(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, name: str, sha: str,
                      prior: Prior) -> str | None:
    """If these bytes were a nil return (no data rows) and this file is for another period, the delivery id
    to record it under (None: it is a plain repeat, skip it)."""
    if prior.status not in ("landed", "superseded") or prior.rows_delivered:
        return None
    try:
        mapping, spec, _, period = _match(rc, slug, name)
    except (LookupError, Unlandable):
        return None
    if (mapping.borough_code, spec.extract, period) == (prior.borough_code, prior.extract_type, prior.period):
        return None
    did = nil_return_id(sha, mapping.borough_code, spec.extract, period)
    return None if seen_deliveries(con, [did]) else did


def stage(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, path: Path, sha: str, size: int,
          received_at: dt.datetime, seen: Prior | None) -> Item | DeliveryOutcome:
    """Everything per file before reading it: skip, archive, match the mapping. Returns a finished outcome
    (skipped / waiting / quarantined) or an :class:`Item` to read with :func:`prepare_items` (many at once).
    Never raises for bad input."""
    name = path.name
    out = DeliveryOutcome(source_file=name, borough_slug=slug, sha256=sha, status="landed")
    if seen and not (seen.status == "quarantined" and rc.retry_quarantined):
        again = _nil_return_again(con, rc, slug, name, sha, seen)
        if again is None:
            out.status = "skipped"
            out.reason = (f"These exact bytes were already received as {seen.label or 'an earlier delivery'} (run "
                          f"{seen.run_id}, status {seen.status}); nothing was changed.")
            return out
        out.delivery_id, seen = again, None
    archive_file(path, rc.paths.archive, sha, rc.originals_key, fsync=False)
    item = Item(slug=slug, path=path, size=size, received_at=received_at, out=out,
                retry_quarantined=seen is not None, tmp=rc.paths.work_dir / "landing-tmp" / sha[:16])
    try:
        item.mapping, item.spec, item.spec_index, period = _match(rc, slug, name)
    except LookupError as exc:
        out.status = "waiting"
        out.reason = str(exc)
        out.fix = "Ask the hub data team to add or fix the borough mapping; the file stays in incoming/."
        return out
    except Unlandable as exc:
        return quarantine(con, rc, item, exc.reason, exc.fix)
    out.borough_code, out.extract_type, out.period = item.mapping.borough_code, item.spec.extract, period
    return item


#: Files prepared at once (reading an XLSX sheet and writing it as CSV; python-calamine parses without the GIL
#: for much of the work, so two threads prepare a London night's 1,850 workbooks ~1.6× faster).
PREPARE_THREADS = int(os.environ.get("FHUB_LANDING_PREPARE_THREADS", 2))


def prepare_items(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item]) -> list[Item | DeliveryOutcome]:
    """Read each staged file (find the heading, transcode, XLSX → CSV), in a small thread pool: the work is
    per file and touches no connection. A file that cannot be read is quarantined here (in the calling
    thread, which owns ``con``); the result keeps the order of ``items``."""
    def attempt(item: Item) -> BaseException | None:
        try:
            _prepare(item)
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
            return exc
        return None

    if len(items) > 1 and PREPARE_THREADS > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(PREPARE_THREADS, thread_name_prefix="fhub-prepare") as pool:
            errors = list(pool.map(attempt, items))
    else:
        errors = [attempt(it) for it in items]
    done: list[Item | DeliveryOutcome] = []
    for item, exc in zip(items, errors, strict=True):
        if exc is None:
            done.append(item)
        elif isinstance(exc, Unlandable):
            done.append(quarantine(con, rc, item, exc.reason, exc.fix))
        else:
            done.append(quarantine(con, rc, item, *_internal(exc, item)))
    return done


def group_key(item: Item) -> tuple:
    """Files that can share one pass: the same mapping content (boroughs on the same case-management system
    share it, whatever their borough), the same way of reading and the same column layout. Everything that
    differs per file or borough (period, borough code, sha) is data in ``_files``, not SQL text."""
    p, plan, spec = item.prep, item.plan, item.spec
    mapping_content = repr((spec.extract, spec.format, spec.columns, spec.values, spec.constants, spec.date_format,
                            tuple(spec.ignore_columns or ()), sorted((getattr(spec, "free_text", None) or {}).items())))
    return (mapping_content, p.delimiter, len(p.headers), p.skip_lines, p.has_line_column,
            tuple(sorted(plan.source_index.items())), tuple(sorted(plan.heading.items())))


def _internal(exc: BaseException, item: Item | None = None) -> tuple[str, str]:
    """An unexpected failure: the borough reads a template; the details (which can quote the file's contents)
    go to the pipeline's stderr for the central team, with identifier-like text scrubbed."""
    detail = scrub("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))[0]
    _log.error("internal error while landing %s:\n%s", item.out.label if item else "a delivery", detail[-4000:])
    return ("The pipeline could not process this file (an internal error, not a problem you can see in the "
            "file).", "Nothing to fix on your side yet: the hub data team has been told; the file is kept.")


def cleanup(item: Item) -> None:
    if item.tmp is not None:
        shutil.rmtree(item.tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# per group
# ---------------------------------------------------------------------------------------------------
def land_group(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item]) -> list[DeliveryOutcome]:
    """Land a group of staged files (same :func:`group_key`) in one pass and one transaction. Returns one
    outcome per file (plus those of files retried in their own group). Never raises for bad input."""
    retry: list[Item] = []
    try:
        outcomes = _land_group(con, rc, items, retry)
    except Exception as exc:  # noqa: BLE001 - fall back to one file at a time; one bad file never stops others
        _drop_temps(con)
        if os.environ.get("FHUB_LANDING_RAISE"):  # developers: see the traceback instead of a quarantine
            raise
        if len(items) > 1:
            outcomes = []
            for it in items:
                outcomes += land_group(con, rc, [it])
            return outcomes
        outcomes = [quarantine(con, rc, items[0], *_internal(exc, items[0]))]
        retry = []
    finally:
        _drop_temps(con)
    for prepared in prepare_items(con, rc, retry):
        outcomes += land_group(con, rc, [prepared]) if isinstance(prepared, Item) else [prepared]
    for it in items:
        if it not in retry:
            cleanup(it)
    return outcomes


def _drop_temps(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass
    con.execute("drop view if exists temp._src; " + "; ".join(f"drop table if exists temp.{t}" for t in _TEMPS))


def _land_group(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item],
                retry: list[Item]) -> list[DeliveryOutcome]:
    first = items[0]
    spec, prep, plan = first.spec, first.prep, first.plan
    contract: Contract = spec.contract
    ctx = Context(today=rc.today, hubs_loaded=rc.hubs_loaded)
    files = pa.table({
        "_f": pa.array(range(len(items)), pa.int32()),
        "csv_path": pa.array([str(it.prep.csv_path) for it in items], pa.string()),
        "header_line": pa.array([it.prep.header_line for it in items], pa.int64()),
        "period": pa.array([it.out.period for it in items], pa.string()),
        "sha": pa.array([it.sha for it in items], pa.string()),
        "content_sha": pa.array([it.out.sha256 for it in items], pa.string()),
        "source_file": pa.array([it.out.source_file for it in items], pa.string()),
        "borough_code": pa.array([it.out.borough_code for it in items], pa.string()),
    })
    con.register("_files_arrow", files)
    try:
        con.execute("create or replace temp table _files as select * from _files_arrow")
    finally:
        con.unregister("_files_arrow")
    scanned = scan_group(con, [str(it.prep.csv_path) for it in items], len(prep.headers), prep.skip_lines,
                         prep.delimiter, prep.has_line_column, keep=list(plan.source_index.values()))
    outcomes: list[DeliveryOutcome] = []
    removed: set[int] = set()
    for f in sorted(scanned.not_utf8):
        it = items[f]
        removed.add(f)
        if it.encoding_retry or str(spec.format).lower() == "xlsx":
            outcomes.append(quarantine(con, rc, it, "The file could not be read as text in any expected encoding.",
                                       "Save or export the file as UTF-8 CSV and send it again."))
        else:
            it.encoding_retry = True
            retry.append(it)
    for f, line in sorted(scanned.unquoted.items()):
        removed.add(f)
        outcomes.append(quarantine(
            con, rc, items[f],
            f"A quotation mark is not closed (around line {line}), so the rest of the file cannot be split "
            "into columns reliably.",
            "Check the value on that line: a text value containing a \" must be wrapped in quotes and the "
            "quote doubled (\"\"). Re-export the file from your system rather than editing it by hand."))
    build_mapped(con, spec, plan, ctx)
    for f, reason, fix in _other_borough(con, rc, items, scanned.counts):
        removed.add(f)
        outcomes.append(quarantine(con, rc, items[f], reason, fix))
        con.execute(f"delete from _m where _f = {f}")
        con.execute(f"delete from _struct where _f = {f}")
    active = [f for f in range(len(items)) if f not in removed]
    if not active:
        return outcomes
    collect_problems(con, spec, plan, ctx)
    _hash_identifiers(con, rc.key, contract)
    con.execute("create or replace temp table _bad as select distinct _f, _row from _rej")
    n_bad = dict(con.execute("select _f, count(*) from _bad group by 1").fetchall())
    n_warn = dict(con.execute("select _f, count(distinct _row) from _warn group by 1").fetchall())
    for f in active:
        it, out = items[f], items[f].out
        n_ok, n_struct = scanned.counts[f]
        out.rows_delivered = n_ok + n_struct
        out.rows_rejected = n_bad.get(f, 0) + n_struct
        out.rows_landed = n_ok - n_bad.get(f, 0)
        out.rows_warned = n_warn.get(f, 0)
        out.check_accounting()
        out.file_warnings = [(None, r, fx) for r, fx in it.prep.warnings] + it.plan.warnings + it.warnings
        if not rc.hubs_loaded and "hub_id" in contract.column_names:
            out.file_warnings.append((None, "Hub ids were not checked: no family hub list is available.",
                                      "Hub data team: add seeds/reference/family_hubs.csv."))
    updates = _decide_status(con, [items[f] for f in active])
    _commit(con, rc, [items[f] for f in active], contract, updates)
    return outcomes + [items[f].out for f in active]


def _other_borough(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item],
                   counts: dict[int, tuple[int, int]]) -> list[tuple[int, str, str]]:
    """Files whose hubs mostly belong to one other borough were put in the wrong folder: refuse them whole."""
    if not rc.hubs_loaded or "v_hub_id" not in {r[0] for r in con.execute("describe _m").fetchall()}:
        return []
    found = []
    rows = con.execute("""
        with c as (
            select _m._f, h.borough_code, count(*) as n
            from _m join _files f using (_f) join _hubs h on h.hub_id = _m.v_hub_id
            where h.borough_code <> f.borough_code group by 1, 2
        )
        select _f, borough_code, n from c qualify row_number() over (partition by _f order by n desc, borough_code) = 1
    """).fetchall()
    for f, code, n in rows:
        n_rows = counts.get(f, (0, 0))[0]
        if n * 2 > n_rows > 0:
            other = next((m.borough_name for m in rc.mappings.values() if m.borough_code == code), code)
            mine = items[f].mapping.borough_name
            found.append((f, (
                f"{n:,} of {n_rows:,} rows are for hubs of {other} ({code}), but the file was delivered "
                f"for {mine}. It looks like another borough's data."),
                f"Check the file: send {mine}'s own data in this folder, and {other}'s data in theirs."))
    return found


def _hash_identifiers(con: duckdb.DuckDBPyConnection, key: bytes, contract: Contract) -> None:
    """HMAC once per distinct identifier value not yet hashed in this run (in Python,
    :func:`fhub.pseudonymise.keyed_hash`), kept in the connection's ``_keycache``."""
    ids = [c.name for c in contract.columns if c.kind == "identifier"]
    union = " union ".join(f"select {ident('v_' + c)} as v from _m" for c in ids)
    values = [r[0] for r in con.execute(
        f"select distinct v from ({union}) u where v is not null and not exists "
        f"(select 1 from _keycache c where c.v = u.v)").fetchall()]
    if not values:
        return
    table = pa.table({"v": pa.array(values, pa.string()), "k": pa.array(hash_many(key, values), pa.string())})
    con.register("_newkeys_arrow", table)
    try:
        con.execute("insert into _keycache select * from _newkeys_arrow")
    finally:
        con.unregister("_newkeys_arrow")


def hash_many(key: bytes, values: list[str]) -> list[str | None]:
    """:func:`fhub.pseudonymise.keyed_hash` for many values (one-shot ``hmac.digest``: same result, ~2× faster)."""
    out: list[str | None] = []
    for v in values:
        text = normalise_identifier(v)
        out.append(hmac.digest(key, text.encode("utf-8"), "sha256").hex() if text else None)
    return out


def _decide_status(con: duckdb.DuckDBPyConnection, items: list[Item]) -> list[tuple[str, str]]:
    """Set each file's status (landed / superseded) and supersessions. Returns (earlier delivery id,
    superseded_by) updates for deliveries already in the work file.

    Rules, per borough × extract × period, in order of arrival:
    * a file with landed rows replaces (supersedes) every earlier landed delivery; if a newer delivery is
      already landed, the file is kept in history only (``superseded``);
    * a file whose every row was rejected is recorded as ``landed`` with 0 rows and replaces nothing;
    * a header-only file is a *nil return* ("no activity this period"): ``landed`` with 0 rows if the period
      has nothing else; but it never wipes a period that already has rows — then it is recorded as
      ``superseded`` (history only) and the receipt says how to withdraw a period deliberately.
    """
    codes = sorted({it.out.borough_code for it in items})
    state: dict[tuple[str, str], list[dict]] = {}
    for code, did, period, received, rows, source in con.execute(
            "select borough_code, delivery_id, period, received_at, rows_landed, delivery_label from landing.deliveries "
            "where borough_code in (select unnest(?)) and extract_type = ? and status = 'landed'",
            [codes, items[0].out.extract_type]).fetchall():
        state.setdefault((code, period), []).append({"id": did, "received": received, "rows": rows,
                                                     "source": source, "item": None})
    updates: list[tuple[str, str]] = []
    for it in sorted(items, key=lambda i: i.received_at):
        out = it.out
        cur = state.setdefault((out.borough_code, out.period), [])
        newer = sorted((c for c in cur if c["received"] > it.received_at), key=lambda c: c["received"])
        me = {"id": it.sha, "received": it.received_at, "rows": out.rows_landed, "source": out.label, "item": it}
        replaced: list[dict] = []
        if out.rows_delivered == 0:
            nonempty = [c for c in cur if c["rows"] > 0]
            if newer:
                _superseded(out, newer[-1], "A newer delivery for the same period was already landed, so this "
                            "file is kept in history only.", "No action needed if the newer file is the right one.")
            elif nonempty:
                keep = max(nonempty, key=lambda c: c["received"])
                _superseded(out, keep,
                            f"The file has no data rows. The earlier delivery {keep['source']} already delivered "
                            f"{keep['rows']:,} rows for {out.period}; an empty file does not replace them, so that "
                            "delivery stays in use.",
                            f"If the period really had no activity, ask the hub data team to withdraw the earlier "
                            f"delivery {keep['source']} (a deliberate, recorded step); otherwise no action is "
                            "needed, or send a corrected file with the rows.")
            else:
                out.file_warnings.append((None, f"The file has no data rows: treated as a nil return (no "
                                          f"activity) for {out.period}.",
                                          "No action needed if nothing happened in the period; otherwise "
                                          "re-export the file with its data."))
                replaced = [c for c in cur if c["received"] <= it.received_at]
                cur.append(me)
        elif out.rows_landed == 0:
            out.file_warnings.append((None, "No row could be landed, so any earlier delivery for this period "
                                      "stays in use.", "Fix the problems listed below and send the file again."))
            cur.append(me)
        elif newer:
            _superseded(out, newer[-1], "A newer delivery for the same period was already landed, so this file "
                        "is kept in history only.", "No action needed if the newer file is the right one.")
        else:
            replaced = [c for c in cur if c["received"] <= it.received_at]
            cur.append(me)
        for c in replaced:
            cur.remove(c)
            out.supersedes.append(c["source"])
            if c["item"] is None:
                updates.append((c["id"], it.sha))
            else:
                c["item"].db_status = ("superseded", it.sha)
    return updates


def _superseded(out: DeliveryOutcome, by: dict, reason: str, fix: str) -> None:
    out.status = "superseded"
    out.superseded_by = by["id"]
    out.file_warnings.append((None, reason, fix))


def _commit(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item], contract: Contract,
            updates: list[tuple[str, str]]) -> None:
    loaded_at = dt.datetime.now()
    deliveries = []
    for it in items:
        o = it.out
        status, by = it.db_status or (o.status, o.superseded_by)
        deliveries.append((o.delivery_id, o.borough_code, o.borough_slug, o.extract_type, o.period, o.source_file,
                           o.sha256, it.size, it.received_at, loaded_at, rc.run_id, status, o.rows_delivered,
                           o.rows_landed, o.rows_rejected, o.rows_warned, by, rc.key_label, o.label))
    expected = sum(it.out.rows_landed for it in items)
    con.execute("begin transaction")
    try:
        landed = _insert_raw(con, rc, contract, loaded_at)
        if landed != expected:
            raise AssertionError(f"accounting: inserted {landed} rows, expected {expected}")
        retried = [it.sha for it in items if it.retry_quarantined]
        if retried:
            con.execute("delete from landing.deliveries where delivery_id in (select unnest(?))", [retried])
        _insert_rows(con, "landing.deliveries", _DELIVERY_COLUMNS, deliveries)
        _insert_problems(con, rc, items)
        if updates:
            con.executemany("update landing.deliveries set status = 'superseded', superseded_by = ? "
                            "where delivery_id = ? and status = 'landed'", [(by, did) for did, by in updates])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


_DELIVERY_COLUMNS = ("delivery_id", "borough_code", "borough_slug", "extract_type", "period", "source_file",
                     "sha256", "size_bytes", "received_at", "loaded_at", "run_id", "status", "rows_delivered",
                     "rows_landed", "rows_rejected", "rows_warned", "superseded_by", "key_label", "delivery_label")
_PROBLEM_COLUMNS = ("delivery_id", "source_file", "row_number", "line_number", "column_name", "value_excerpt",
                    "reason", "fix", "run_id")


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert Python rows in one statement (through Arrow; types come from the target table)."""
    if not rows:
        return
    data = pa.table({c: pa.array([r[i] for r in rows]) if any(r[i] is not None for r in rows)
                     else pa.nulls(len(rows), pa.string()) for i, c in enumerate(columns)})
    con.register("_rows_arrow", data)
    try:
        con.execute(f"insert into {table} ({', '.join(columns)}) select {', '.join(columns)} from _rows_arrow")
    finally:
        con.unregister("_rows_arrow")


def _insert_raw(con: duckdb.DuckDBPyConnection, rc: RunContext, contract: Contract, loaded_at: dt.datetime) -> int:
    cols, exprs, joins = [], [], []
    for c in contract.columns:
        cols.append(ident(c.stored_name))
        if c.kind == "identifier":
            alias = ident("k_" + c.name)
            joins.append(f"left join _keycache {alias} on {alias}.v = m.{ident('v_' + c.name)}")
            exprs.append(f"{alias}.k")
        else:
            exprs.append(f"m.{ident('v_' + c.name)}")
    cols += [ident(n) for n, _ in LINEAGE_COLUMNS]
    exprs += ["f.sha", "f.source_file", "f.content_sha", "f.borough_code", lit(contract.extract), "f.period", "m._row",
              "cast(? as timestamp)", lit(rc.run_id)]
    has_bad = con.execute("select count(*) from _bad").fetchone()[0] > 0
    # raw rows carry their file and row number, so their physical order does not matter: let DuckDB write
    # them in parallel (the scan of the files needs insertion order and keeps it)
    con.execute("set preserve_insertion_order = false")
    try:
        res = con.execute(
            f"insert into raw.{ident(contract.raw_table)} ({', '.join(cols)}) "
            f"select {', '.join(exprs)} from _m m join _files f on f._f = m._f {' '.join(joins)} "
            + ("where not exists (select 1 from _bad b where b._f = m._f and b._row = m._row)" if has_bad else ""),
            [loaded_at]).fetchone()
    finally:
        con.execute("set preserve_insertion_order = true")
    return int(res[0])


def _insert_problems(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item]) -> None:
    """Rejects and warnings: the value is kept only as its masked shape (``fhub_shape``, once per distinct
    value), never as text; an identifier column's value not even as that."""
    con.execute("""
        create or replace temp table _shapes as
        select raw, fhub_shape(raw) as shape
        from (select distinct raw from _rej where kind <> 'identifier' and raw is not null
              union select distinct raw from _warn where kind <> 'identifier' and raw is not null)
    """)
    con.execute("""
        insert into landing.rejects
        select f.sha, f.source_file, _row, _line, col, case when kind = 'identifier' then null else s.shape end,
               reason, fix, ?
        from _rej r join _files f using (_f) left join _shapes s on s.raw = r.raw
    """, [rc.run_id])
    width = len(items[0].prep.headers)
    con.execute(f"""
        insert into landing.rejects
        select f.sha, f.source_file, _row, _line, null, null, reason,
               'Make the row have exactly {width} values, one per column heading; put text containing '
               || 'the separator in double quotes.', ?
        from _struct s join _files f using (_f)
    """, [rc.run_id])
    fw = [(it.sha, it.out.source_file, None, None, col, None, reason, fix, rc.run_id)
          for it in items for col, reason, fix in it.out.file_warnings]
    _insert_rows(con, "landing.warnings", _PROBLEM_COLUMNS, fw)
    con.execute("""
        insert into landing.warnings
        select f.sha, f.source_file, _row, _line, col, case when kind = 'identifier' then null else s.shape end,
               reason, fix, ?
        from _warn w join _files f using (_f) left join _shapes s on s.raw = w.raw
    """, [rc.run_id])
    con.execute("drop table _shapes")


# ---------------------------------------------------------------------------------------------------
# quarantine (per file)
# ---------------------------------------------------------------------------------------------------
def quarantine(con: duckdb.DuckDBPyConnection, rc: RunContext, item: Item, reason: str, fix: str) -> DeliveryOutcome:
    """Set a whole file aside. ``reason`` and ``fix`` are templates (they reach the receipt, the quarantine
    note and the published data-quality results). The original is kept encrypted under its delivery id
    (``quarantine/<delivery_id>/original.fenc``), never under its delivered name, which may hold a person's
    name or NHS number."""
    out = item.out
    quarantine_file(item.path, rc.paths.quarantine, out.delivery_id, reason, fix, key=rc.originals_key,
                    archived=archive_path(rc.paths.archive, out.sha256), about=out.label)
    out.status, out.reason, out.fix = "quarantined", reason, fix
    out.rows_delivered = out.rows_landed = out.rows_rejected = out.rows_warned = 0
    out.file_warnings = []
    now = dt.datetime.now()
    con.execute("begin transaction")
    try:
        con.execute("delete from landing.deliveries where delivery_id = ?", [out.delivery_id])
        _insert_rows(con, "landing.deliveries", _DELIVERY_COLUMNS, [(
            out.delivery_id, out.borough_code, out.borough_slug, out.extract_type, out.period, out.source_file,
            out.sha256, item.size, item.received_at, now, rc.run_id, "quarantined", 0, 0, 0, 0, None, rc.key_label,
            out.label)])
        con.execute("insert into landing.quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [out.delivery_id, out.borough_slug, out.source_file, out.sha256, reason, fix, rc.run_id, now])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    cleanup(item)
    return out


def sha_and_size(path: Path) -> tuple[str, int]:
    return sha256_file(path)
