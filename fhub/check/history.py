"""The warehouse's delivery history for one borough, copied into a check's throw-away work file.

What the nightly does with a file depends on what it already holds: the same bytes again are skipped, a new
file for a period replaces the delivery in use, and resubmission rules compare a file with the delivery it
would replace. So a check copies, read-only, the borough's rows of ``landing.deliveries`` and the raw rows of
its landed deliveries (keyed hashes only, never identifiers) from the real work file into the check's own
work file; the landing code then decides exactly as it would tonight. The real work file is attached
read-only and detached straight away; it is never written. When it is busy (a nightly run is writing it) or
missing, the check runs without history and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from fhub.landing.sqlkit import ident, lit


@dataclass(frozen=True)
class History:
    copied: bool
    deliveries: int
    note: str


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[str]:
    rows = con.execute("select column_name from information_schema.columns where table_catalog = ? and "
                       "table_schema = ? and table_name = ? order by ordinal_position",
                       [catalog, schema, table]).fetchall()
    return [r[0] for r in rows]


#: the check ran where there is no warehouse (e.g. on a data officer's own machine)
NO_WAREHOUSE = History(False, 0, "There is no warehouse on this machine, so each file was checked as a first "
                                 "delivery (the check cannot say whether it would replace or repeat an earlier one).")


def copy_history(con: duckdb.DuckDBPyConnection, warehouse: Path, borough_code: str) -> History:
    """Copy ``borough_code``'s delivery history from ``warehouse`` (the real work file) into ``con`` (the
    check's work file, landing schema in place). Never raises for a missing, busy or older warehouse."""
    if not Path(warehouse).exists():
        return NO_WAREHOUSE
    try:
        con.execute(f"attach {lit(str(warehouse))} as wh (read_only)")
    except duckdb.Error:
        return History(False, 0, "The warehouse is busy (a nightly run is writing it), so the file was checked "
                                 "as a first delivery; check again later to compare it with earlier deliveries.")
    try:
        con.execute("begin transaction")
        mine = _columns(con, "wh", "landing", "deliveries")
        ours = set(_columns(con, con.execute("select current_database()").fetchone()[0], "landing",
                            "deliveries"))
        cols = ", ".join(ident(c) for c in mine if c in ours)
        con.execute(f"insert into landing.deliveries ({cols}) select {cols} from wh.landing.deliveries "
                    "where borough_code = ?", [borough_code])
        n = con.execute("select count(*) from landing.deliveries").fetchone()[0]
        local = con.execute("select current_database()").fetchone()[0]
        for (table,) in con.execute("select table_name from information_schema.tables where table_catalog = ? "
                                    "and table_schema = 'raw'", [local]).fetchall():
            theirs = _columns(con, "wh", "raw", table)
            shared = [c for c in _columns(con, local, "raw", table) if c in theirs]
            if not theirs or "_delivery_id" not in shared:
                continue
            cols = ", ".join(ident(c) for c in shared)
            con.execute(f"insert into raw.{ident(table)} ({cols}) select {cols} from wh.raw.{ident(table)} "
                        "where _delivery_id in (select delivery_id from landing.deliveries "
                        "where status = 'landed')")
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        return History(False, 0, "The warehouse's delivery history could not be read (it may be from an older "
                                 "version), so the file was checked as a first delivery.")
    finally:
        con.execute("detach wh")
    return History(True, n, f"Compared with the warehouse's delivery history for this borough "
                            f"({n:,} earlier {'delivery' if n == 1 else 'deliveries'}).")
