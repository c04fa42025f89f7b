"""Period integrity: rows belong to the period in the file name.

Each contract declares the column that dates a row (:attr:`fhub.contracts.Contract.event_date`, or the
EYFSP's ``academic_year`` text, :attr:`~fhub.contracts.Contract.period_column`). Per group, set-based over
``_m`` and ``_files`` (``period``, ``period_format``, ``tolerance`` days, and ``lo`` / ``hi``: the
period widened by the tolerance, ``hi`` exclusive):

* a file whose dated rows mostly (more than half, outside the tolerance) belong to ONE other period is
  *held* whole: not in use, superseding nothing, "this looks like the <period> file" (:func:`wrong_period`);
* in every other file, a row dated outside the period (more than ``tolerance`` days before its start or
  after its end; for ``up_to_end`` contracts only after its end) is rejected with the reason
  (:func:`reject_out_of_period`).
"""

from __future__ import annotations

from typing import Any

import duckdb

from fhub.contracts import Contract
from fhub.landing.columns import ColumnPlan
from fhub.landing.sqlkit import ident, lit

#: A row's period in the file's own period format (``_files.period_format``), from a date ``d``.
_PERIOD_OF = """case f.period_format
    when 'day' then strftime({d}, '%Y-%m-%d')
    when 'month' then strftime({d}, '%Y-%m')
    when 'quarter' then printf('%d/%02d Q%d', year({d}) - (month({d}) < 4)::int,
                               (year({d}) - (month({d}) < 4)::int + 1) % 100, (month({d}) + 8) % 12 // 3 + 1)
    when 'academic_year' then printf('%d/%02d', year({d}) - (month({d}) < 9)::int,
                                     (year({d}) - (month({d}) < 9)::int + 1) % 100)
    end"""
_AY = "'[0-9]{4}/[0-9]{2}'"


def _outside(contract: Contract, v: str) -> str:
    """SQL: the dated value ``v`` lies outside the file's period (with its tolerance)."""
    after = v + " >= f.hi"
    if contract.event_window == "up_to_end":
        return after
    return "(" + v + " < f.lo or " + after + ")"


def wrong_period(con: duckdb.DuckDBPyConnection, contract: Contract) -> dict[int, tuple[str, int, int]]:
    """file number → (the period its rows look like, rows dated in it, rows dated at all) for files whose
    dated rows mostly belong to one other period. Only for contracts whose rows must fall in the period."""
    if contract.period_column:
        col = ident("v_" + contract.period_column)
        dated = f"{col} is not null and regexp_full_match({col}, {_AY})"
        other = f"case when {col} <> f.period then {col} end"
    elif contract.event_date and contract.event_window == "period":
        v = ident("v_" + contract.event_date)
        dated = f"{v} is not null"
        other = f"case when {_outside(contract, v)} then {_PERIOD_OF.format(d=v)} end"
    else:
        return {}
    rows = con.execute(f"""
        with dated as (
            select m._f, {other} as other_period
            from _m m join _files f using (_f)
            where {dated}
        ), counted as (
            select _f, other_period, count(*) as n from dated group by _f, other_period
        ), by_period as (
            select _f, other_period, n, sum(n) over (partition by _f) as total from counted
        )
        select _f, other_period, n, total from by_period
        where other_period is not null and n * 2 > total
    """).fetchall()
    return {int(f): (str(p), int(n), int(total)) for f, p, n, total in rows}


def reject_out_of_period(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, held: set[int]) -> None:
    """Insert into ``_rej`` the rows of files not in ``held`` that are dated outside their file's period."""
    contract: Contract = spec.contract
    skip = "and m._f not in (" + ", ".join(str(f) for f in sorted(held)) + ")" if held else ""
    if contract.period_column:
        col = contract.period_column
        v = ident("v_" + col)
        heading = plan.heading.get(col, col)
        con.execute(f"""
            insert into _rej
            select m._f, m._row, m._line, {lit(heading)}, 'text', {v},
                   'This row is for another academic year than the file, which is for ' || f.period || '.',
                   'Send each academic year in its own file, named with its year.'
            from _m m join _files f using (_f)
            where {v} is not null and m.{ident('e_' + col)} is null and regexp_full_match({v}, {_AY})
              and f.period_format = 'academic_year' and {v} <> f.period {skip}
        """)
    if contract.event_date:
        col = contract.event_date
        v = ident("v_" + col)
        heading = plan.heading.get(col, col)
        if contract.event_window == "up_to_end":
            reason = (f"'The date in {heading} is after the end of ' || f.period || ', the period in the file "
                      "name (by more than ' || f.tolerance || ' days).'")
        else:
            reason = (f"'The date in {heading} is outside ' || f.period || ', the period in the file name (by "
                      "more than ' || f.tolerance || ' days).'")
        con.execute(f"""
            insert into _rej
            select m._f, m._row, m._line, {lit(heading)}, 'date', cast({v} as varchar), {reason},
                   'Send each row in the file for its own period; if the file name has the wrong period, '
                   || 'rename the file and send it again.'
            from _m m join _files f using (_f)
            where {v} is not null and m.{ident('e_' + col)} is null and {_outside(contract, v)} {skip}
        """)


def looks_like(period: str, n: int, total: int, named: str) -> tuple[str, str]:
    """Reason and fix for a file held because its rows belong to another period."""
    return (f"This looks like the {period} file: {n:,} of its {total:,} dated rows are for {period}, not for "
            f"{named} as its name says. It was held: nothing from it is in use and it replaces nothing.",
            f"If it is the {period} data, send it again named for {period}. If it really is {named}, check the "
            "dates in the export and send a corrected file.")
