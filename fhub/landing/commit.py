"""Write a group's outcome in one transaction (raw rows, rejects, warnings, deliveries), and quarantine a
file that cannot be landed at all."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from fhub.contracts import LINEAGE_COLUMNS, Contract
from fhub.landing.archive import archive_path
from fhub.landing.items import Item, RunContext, cleanup
from fhub.landing.ledger import RECONCILIATION_COLUMNS
from fhub.landing.quarantine import quarantine_file
from fhub.landing.result import DeliveryOutcome
from fhub.landing.sqlkit import ident, lit


def commit(con: duckdb.DuckDBPyConnection, rc: RunContext, items: list[Item], contract: Contract,
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
        _insert_rows(con, "landing.reconciliation", RECONCILIATION_COLUMNS,
                     [it.out.ledger for it in items if it.out.ledger is not None])
        _insert_rows(con, "landing.holds", _HOLD_COLUMNS,
                     [(it.sha, rc.run_id, it.hold[0], it.hold[3], ",".join(it.would_replace) or None, it.hold[1],
                       it.hold[2], loaded_at) for it in items if it.hold is not None and it.out.status == "held"])
        _insert_rows(con, "landing.delivery_checks", _CHECK_COLUMNS,
                     [(it.sha, rc.run_id, *check) for it in items for check in it.checks])
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
_HOLD_COLUMNS = ("delivery_id", "run_id", "kind", "looks_like_period", "replaces", "reason", "fix", "held_at")
_CHECK_COLUMNS = ("delivery_id", "run_id", "check_name", "column_name", "failing_rows", "message", "fix")
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
