"""Records of a group that are not data: blank records (:func:`fhub.landing.scan.scan_group`), repeated
heading rows and footer lines (``Total: 12 records``). They are taken out of the rejected rows into
``_explained`` (``_f, _row, _line, kind``) and counted in the ledger, so the borough is not told that its
heading row "is not a date".

Only rejected records can be heading rows or footers: every contract has a required date or code column,
which heading text or a footer never passes. So the checks run over the few rejected rows, never over every
row, and compare with the *agreed* headings from the borough mapping (normalised), never with text from the
file.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb

from fhub.landing.columns import ColumnPlan
from fhub.landing.read import norm_header
from fhub.landing.sqlkit import ident, lit

#: A footer line after the data: totals, record counts, "end of report", "generated on …".
FOOTER_RX = (r"^[^a-z0-9]*(grand\s+)?(totals?|count|record\s+count|row\s+count|number\s+of\s+(rows|records)"
             r"|records|rows|end\s+of\s+(file|report|data|extract)|report\s+(generated|run|produced)|generated"
             r"|exported|extracted|produced|run\s+(on|at|date))\b")
_NORM = "regexp_replace(lower(coalesce({v}, '')), '[^a-z0-9]', '', 'g')"


def explain_records(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan) -> None:
    """Move repeated heading rows and trailing footer lines out of ``_rej``/``_warn``/``_m``/``_struct``
    into ``_explained`` (which already holds the blank records)."""
    kept = sorted(plan.source_index)
    before = con.execute("select count(*) from _explained").fetchone()[0]
    con.execute("create or replace temp table _rejected_rows as select distinct _f, _row from _rej")
    if kept and con.execute("select count(*) from _rejected_rows").fetchone()[0]:
        need = max(1, math.ceil(0.8 * len(kept)))
        # the candidates first (only rejected rows), so that the tests below never run over every row
        con.execute("create or replace temp table _candidates as select _f, _row, _line, "
                    + ", ".join(ident("m_" + c) for c in kept)
                    + " from _m semi join _rejected_rows using (_f, _row)")
        matches = " + ".join(
            f"cast({_NORM.format(v=ident('m_' + c))} = {lit(norm_header(plan.heading[c]))} as integer)"
            for c in kept)
        text = "concat_ws(' ', " + ", ".join(ident("m_" + c) for c in kept) + ")"
        con.execute(f"""
            insert into _explained
            select _f, _row, _line, case when {matches} >= {need} then 'repeated_heading' else 'footer?' end
            from _candidates
            where {matches} >= {need} or regexp_matches(lower({text}), {lit(FOOTER_RX)})
        """)
        con.execute("drop table _candidates")
    con.execute(f"""
        insert into _explained
        select _f, _row, _line,
               case when regexp_full_match(coalesce(_text, ''), '[[:space:]]*') then 'blank' else 'footer?' end
        from _struct
        where regexp_full_match(coalesce(_text, ''), '[[:space:]]*')
           or regexp_matches(lower(coalesce(_text, '')), {lit(FOOTER_RX)})
    """)
    con.execute("drop table if exists _rejected_rows")
    if con.execute("select count(*) from _explained").fetchone()[0] == before:
        return  # nothing but the scan's blank records, which are in none of the tables below
    # a footer only counts as one after the last data record of its file
    con.execute("""
        with data_rows as (
            select _f, max(_row) as last_row from (
                select _f, _row from _m union all select _f, _row from _struct
            ) d anti join _explained e using (_f, _row) group by 1
        )
        delete from _explained e using data_rows d
        where e.kind = 'footer?' and e._f = d._f and e._row < d.last_row
    """)
    con.execute("update _explained set kind = 'footer' where kind = 'footer?'")
    for table in ("_rej", "_warn", "_m", "_struct"):
        con.execute(f"delete from {table} t where exists (select 1 from _explained e "
                    f"where e._f = t._f and e._row = t._row)")


def explained_counts(con: duckdb.DuckDBPyConnection) -> dict[int, dict[str, list[int]]]:
    """file number → kind → data row numbers of its explained records."""
    out: dict[int, dict[str, list[int]]] = {}
    for f, kind, rows in con.execute(
            "select _f, kind, list(_row order by _row) from _explained group by all").fetchall():
        out.setdefault(f, {})[kind] = list(rows)
    return out


def describe(kind_rows: dict[str, list[int]]) -> list[tuple[None, str, str]]:
    """File-level warnings for repeated heading rows and footer lines (blank records are only counted)."""
    out: list[tuple[None, str, str]] = []
    for kind, what, fix in (
            ("repeated_heading", "repeat the heading row", "No action needed; one heading row at the top is enough."),
            ("footer", "are footer lines after the data (such as 'Total: 12 records')",
             "No action needed; footer lines are not data.")):
        rows = kind_rows.get(kind) or []
        if not rows:
            continue
        shown = ", ".join(map(str, rows[:10])) + (", …" if len(rows) > 10 else "")
        if len(rows) == 1:
            what = what.replace("repeat", "repeats").replace("are footer lines", "is a footer line")
        out.append((None, f"{'Row' if len(rows) == 1 else 'Rows'} {shown} {what}; "
                    f"{'it was' if len(rows) == 1 else 'they were'} not counted as data.", fix))
    return out
