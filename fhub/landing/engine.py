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
import hmac

import duckdb
import pyarrow as pa

from fhub.contracts import Contract
from fhub.dq.periods import period_range
from fhub.landing.cohort import CHECK_NAME as ELG_CHECK
from fhub.landing.cohort import describe as describe_elgs
from fhub.landing.cohort import empty_elgs
from fhub.landing.commit import commit, quarantine
from fhub.landing.explain import describe as describe_explained
from fhub.landing.explain import explain_records, explained_counts
from fhub.landing.guard import resubmission_drops
from fhub.landing.items import Item, Prior, RunContext, cleanup
from fhub.landing.mapping import DEFAULT_PERIOD_TOLERANCE_DAYS
from fhub.landing.periods import looks_like, reject_out_of_period, wrong_period
from fhub.landing.result import DeliveryOutcome
from fhub.landing.rowchecks import canonical_hub_ids
from fhub.landing.scan import scan_group
from fhub.landing.sqlkit import ident
from fhub.landing.stage import (
    group_key,
    install_macros,
    internal_failure,
    load_hubs,
    prepare_items,
    seen_deliveries,
    sha_and_size,
    stage,
)
from fhub.landing.status import decide_status
from fhub.landing.validate import Context, build_mapped, collect_problems
from fhub.pseudonymise import normalise_identifier

__all__ = ["Item", "Prior", "RunContext", "group_key", "hash_many", "install_macros", "land_group", "load_hubs",
           "prepare_items", "seen_deliveries", "sha_and_size", "stage"]

_TEMPS = ("_src0", "_bounds", "_struct", "_gaps", "_m", "_rej", "_warn", "_bad", "_rejl", "_files",
          "_csv_rejects", "_csv_scans", "_sup", "_newkeys", "_explained", "_rejected_rows", "_hubfix", "_prev",
          "_oldk", "_newk", "_candidates")


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
        if rc.tuning.raise_errors:  # developers: see the traceback instead of a quarantine (FHUB_LANDING_RAISE)
            raise
        if len(items) > 1:
            outcomes = []
            for it in items:
                outcomes += land_group(con, rc, [it])
            return outcomes
        outcomes = [quarantine(con, rc, items[0], *internal_failure(exc, items[0]))]
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
    con.execute("drop view if exists temp._src; drop view if exists temp._src_all; "
                + "; ".join(f"drop table if exists temp.{t}" for t in _TEMPS))


def _files_table(con: duckdb.DuckDBPyConnection, items: list[Item]) -> None:
    """``_files``: one row per file of the group (everything that differs per file is data, not SQL text)."""
    ranges = [period_range(it.out.period) for it in items]
    tolerance = [int(getattr(it.spec, "period_tolerance_days", DEFAULT_PERIOD_TOLERANCE_DAYS)) for it in items]
    files = pa.table({
        "_f": pa.array(range(len(items)), pa.int32()),
        "csv_path": pa.array([str(it.prep.csv_path) for it in items], pa.string()),
        "header_line": pa.array([it.prep.header_line for it in items], pa.int64()),
        "period": pa.array([it.out.period for it in items], pa.string()),
        "period_format": pa.array([it.spec.period_format for it in items], pa.string()),
        "tolerance": pa.array(tolerance, pa.int32()),
        "lo": pa.array([r[0] - dt.timedelta(days=d) for r, d in zip(ranges, tolerance, strict=True)], pa.date32()),
        "hi": pa.array([r[1] + dt.timedelta(days=d) for r, d in zip(ranges, tolerance, strict=True)], pa.date32()),
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


def _land_group(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item],
                retry: list[Item]) -> list[DeliveryOutcome]:
    first = items[0]
    spec, prep, plan = first.spec, first.prep, first.plan
    contract: Contract = spec.contract
    ctx = Context(today=rc.today, hubs_loaded=rc.hubs_loaded)
    _files_table(con, items)
    scanned = scan_group(con, [str(it.prep.csv_path) for it in items], len(prep.headers), prep.skip_lines,
                         prep.delimiter, prep.has_line_column, keep=list(plan.source_index.values()),
                         strip_controls=prep.ledger.has_control_chars)
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
    canonical_hub_ids(con, contract, rc.hubs_loaded)
    for f, reason, fix in _other_borough(con, rc, items, scanned.counts):
        removed.add(f)
        outcomes.append(quarantine(con, rc, items[f], reason, fix))
        for table in ("_m", "_struct", "_explained"):
            con.execute(f"delete from {table} where _f = {f}")
    active = [f for f in range(len(items)) if f not in removed]
    if not active:
        return outcomes
    collect_problems(con, spec, plan, ctx)
    explain_records(con, spec, plan)
    for f, (period, n, total) in wrong_period(con, contract).items():
        if f in active:
            reason, fix = looks_like(period, n, total, items[f].out.period)
            items[f].hold = ("wrong_period", reason, fix, period)
    reject_out_of_period(con, spec, plan, {f for f in active if items[f].hold})
    _hash_identifiers(con, rc.key, contract)
    con.execute("create or replace temp table _bad as select distinct _f, _row from _rej")
    _account(con, rc, items, active, scanned.counts, contract)
    empty = empty_elgs(con, contract, active)
    for f, (n, columns) in empty.items():
        reason, fix = describe_elgs(n, columns, plan, items[f].out.period)
        items[f].out.file_warnings.append((None, reason, fix))
        items[f].checks.append((ELG_CHECK, None, n, reason, fix))
    drops = resubmission_drops(con, contract, " + ".join(plan.heading.get(k, k) for k in contract.key[:1]),
                               {f: items[f].out.rows_landed for f in active})
    for f, drop in drops.items():
        items[f].drop = drop
    updates = decide_status(con, [items[f] for f in active])
    commit(con, rc, [items[f] for f in active], contract, updates)
    return outcomes + [items[f].out for f in active]


def _account(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item], active: list[int],
             counts: dict[int, tuple[int, int]], contract: Contract) -> None:
    """Each file's rows delivered / landed / rejected / warned and its ledger (the reader's count of the
    file against what the scan found)."""
    n_bad = dict(con.execute("select _f, count(*) from _bad group by 1").fetchall())
    n_warn = dict(con.execute("select _f, count(distinct _row) from _warn group by 1").fetchall())
    n_struct = dict(con.execute("select _f, count(*) from _struct group by 1").fetchall())
    n_m = dict(con.execute("select _f, count(*) from _m group by 1").fetchall())
    explained = explained_counts(con)
    for f in active:
        it, out = items[f], items[f].out
        kinds = explained.get(f, {})
        out.rows_rejected = n_bad.get(f, 0) + n_struct.get(f, 0)
        out.rows_landed = n_m.get(f, 0) - n_bad.get(f, 0)
        out.rows_delivered = out.rows_landed + out.rows_rejected
        out.rows_warned = n_warn.get(f, 0)
        out.check_accounting()
        n_read = sum(counts.get(f, (0, 0)))
        if n_read != out.rows_delivered + sum(len(r) for r in kinds.values()):
            raise AssertionError(f"accounting: file {f} read {n_read} records, accounted for "
                                 f"{out.rows_delivered + sum(len(r) for r in kinds.values())}")
        ledger = it.prep.ledger.copy()
        ledger.blank_records = len(kinds.get("blank", []))
        ledger.repeated_heading = len(kinds.get("repeated_heading", []))
        ledger.footer = len(kinds.get("footer", []))
        ledger.landed, ledger.rejected = out.rows_landed, out.rows_rejected
        # ledger.unexplained: what the reader counted but the scan did not read (or read more of)
        it.ledger = ledger
        out.ledger = ledger.row(it.sha, rc.run_id)
        out.file_warnings = ([(None, r, fx) for r, fx in it.prep.warnings] + it.plan.warnings + it.warnings
                             + describe_explained(kinds))
        if ledger.unexplained:
            out.file_warnings.append((None, f"{ledger.unexplained:,} lines of the file could not be accounted "
                                      "for as data rows, headings, blank lines or footers; the hub data team has "
                                      "been told and this period's figures are withheld until it is resolved.",
                                      "Check the file opens correctly in a spreadsheet and holds all its rows; "
                                      "send it again if anything is missing."))
        if not rc.hubs_loaded and "hub_id" in contract.column_names:
            out.file_warnings.append((None, "Hub ids were not checked: no family hub list is available.",
                                      "Hub data team: add seeds/reference/family_hubs.csv."))


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


