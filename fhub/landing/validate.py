"""Map and validate every row set-based in DuckDB.

Input: temp table ``_src`` (``_row``, ``_line``, ``c0..cN`` all varchar). Output: temp tables ``_m`` (one row
per data row: typed contract values ``v_<col>``), ``_rej`` (one row per rejected row × problem) and
``_warn`` (one row per accepted row × warning). Raw values only ever live in these connection-local temp
tables; what is persisted is masked (see ``_fhub_excerpt``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from fhub.contracts import Column, Contract
from fhub.landing.columns import ColumnPlan
from fhub.landing.sqlkit import date_lit, human_date_format, ident, lit, swapped_day_month, trimmed

_TRUE = ("true", "t", "1", "y", "yes")
_FALSE = ("false", "f", "0", "n", "no")
EARLIEST_DATE = dt.date(1990, 1, 1)
#: text columns that are row keys or references: an identifier-shaped value rejects the row
#: (other text columns are blanked with a warning instead)
_STRICT_TEXT = {"contact_id", "referral_id", "assessment_id", "hub_id", "academic_year", "school_urn"}


@dataclass
class Context:
    borough_code: str
    period: str
    today: dt.date
    hubs_loaded: bool


def _value_map(col: str, spec: Any, expr: str) -> str:
    vmap = (getattr(spec, "values", None) or {}).get(col)
    if not vmap:
        return expr
    whens = " ".join(f"when {lit(str(k))} then {lit(v)}" for k, v in vmap.items())
    return f"(case {expr} {whens} else {expr} end)"


def _source_expr(col: Column, spec: Any, plan: ColumnPlan) -> str:
    constants = getattr(spec, "constants", None) or {}
    if col.name in plan.source_index:
        return _value_map(col.name, spec, trimmed(ident(f"c{plan.source_index[col.name]}")))
    if col.name in constants and constants[col.name] is not None:
        return f"cast({lit(constants[col.name])} as varchar)"
    return "cast(null as varchar)"


def _date_parse(m: str, fmt: str, month: bool) -> tuple[str, str]:
    """(parse expression, serial expression) for a date/month column."""
    serial = (f"case when regexp_full_match({m}, '[0-9]{{5}}(\\.[0-9]+)?') and cast({m} as double) between 20000 "
              f"and 80000 then cast(date '1899-12-30' + cast(floor(cast({m} as double)) as integer) as date) end")
    fmts = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
    if month:
        fmts += ["%Y-%m", "%m/%Y", "%b %Y", "%b-%Y", "%B %Y"]
    if fmt != "excel_serial":
        fmts = [fmt] + [f for f in fmts if f != fmt]
    parts = [f"cast(try_strptime({m}, {lit(f)}) as date)" for f in fmts]
    return "coalesce(" + ", ".join(parts) + ")", serial


def column_sql(col: Column, spec: Any, plan: ColumnPlan, ctx: Context, contract: Contract) -> dict[str, str]:
    """SQL expressions for one contract column over CTE columns ``m_<col>`` (mapped, trimmed source text):
    ``v`` typed value, ``e`` reject reason (null = fine), ``f`` fix, ``w`` warning (null = none)."""
    m = ident(f"m_{col.name}")
    heading = plan.heading.get(col.name, col.name)
    missing = f"when {m} is null then 'The required value for {heading} is empty.'" if col.required else ""
    miss_fix = f"Fill in {heading} for every row."
    vmap = (getattr(spec, "values", None) or {}).get(col.name) or {}
    src_codes = ", ".join(str(k) for k in vmap)
    w = "cast(null as varchar)"
    wfix = "cast(null as varchar)"
    if col.kind in ("identifier",):
        v = m
        e = f"case {missing} end" if missing else "cast(null as varchar)"
        fix = lit(miss_fix)
    elif col.kind == "text":
        pii = f"_fhub_pii_kind({m})"
        if col.name in _STRICT_TEXT:
            v = m
            e = (f"case {missing} when {pii} is not null then 'The value in {heading} looks like ' || {pii} || "
                 f"'; personal identifiers must not be sent in this column.' end")
            fix = (f"case when {m} is null then {lit(miss_fix)} else 'Send your system''s own reference in "
                   f"{heading}, not an NHS number, UPN or postcode.' end")
        else:
            v = f"case when {pii} is null then {m} end"
            e = f"case {missing} end" if missing else "cast(null as varchar)"
            fix = lit(miss_fix)
            w = f"case when {pii} is not null then 'The value in {heading} looked like ' || {pii} || ' and was removed.' end"
            wfix = lit(f"Do not put personal identifiers or addresses in {heading}.")
        formula = (f"case when left({m}, 1) in ('=', '+', '-', '@') then 'The value in {heading} starts with '"
                   f" || left({m}, 1) || ', which spreadsheets treat as a formula; it was kept as text and is "
                   f"neutralised in every export.' end")
        formula_fix = (f"case when left({m}, 1) in ('=', '+', '-', '@') then 'Check the value is meant to start "
                       f"with that character.' end")
        if col.name in _STRICT_TEXT:
            wfix = formula_fix
        else:
            wfix = f"case when {pii} is not null then {wfix} else {formula_fix} end"
        w = f"coalesce({w}, {formula})"
    elif col.kind == "code":
        allowed = ", ".join(lit(a) for a in col.allowed)
        v = f"case when lower({m}) in ({allowed}) then lower({m}) end"
        allowed_txt = ", ".join(col.allowed) + (f" (your codes: {src_codes})" if src_codes else "")
        e = f"case {missing} when {m} is not null and {v} is null then 'The value in {heading} is not one of the agreed codes.' end"
        fix = (f"case when {m} is null then {lit(miss_fix)} else {lit('Use one of: ' + allowed_txt + '.')} end")
    elif col.kind == "boolean":
        v = (f"case when lower({m}) in ({', '.join(map(lit, _TRUE))}) then true "
             f"when lower({m}) in ({', '.join(map(lit, _FALSE))}) then false end")
        e = f"case {missing} when {m} is not null and {v} is null then 'The value in {heading} is not a yes/no value.' end"
        yes_no = f"your codes: {src_codes}" if src_codes else "Y/N, Yes/No, true/false or 1/0"
        fix = f"case when {m} is null then {lit(miss_fix)} else {lit('Use ' + yes_no + '.')} end"
    elif col.kind in ("integer", "decimal"):
        if col.kind == "integer":
            v = (f"coalesce(try_cast({m} as bigint), case when try_cast({m} as double) = "
                 f"floor(try_cast({m} as double)) then cast(try_cast({m} as double) as bigint) end)")
            what = "a whole number"
        else:
            v = f"try_cast({m} as double)"
            what = "a number"
        rng = []
        if col.min_value is not None:
            rng.append(f"when {v} < {col.min_value} then 'The value in {heading} is below the allowed minimum "
                       f"of {col.min_value:g}.'")
        if col.max_value is not None:
            rng.append(f"when {v} > {col.max_value} then 'The value in {heading} is above the allowed maximum "
                       f"of {col.max_value:g}.'")
        e = (f"case {missing} when {m} is not null and {v} is null then 'The value in {heading} is not {what}.' "
             f"{' '.join(rng)} end")
        lo = "" if col.min_value is None else f" from {col.min_value:g}"
        hi = "" if col.max_value is None else f" to {col.max_value:g}"
        fix = f"case when {m} is null then {lit(miss_fix)} else {lit(f'Enter {what}{lo}{hi}, digits only.')} end"
    elif col.kind in ("date", "month"):
        fmt = str(getattr(spec, "date_format", None) or "%Y-%m-%d")
        parsed, serial = _date_parse(m, fmt, col.kind == "month")
        base = f"coalesce({parsed}, {serial})"
        v = f"date_trunc('month', {base})::date" if col.kind == "month" else base
        human = human_date_format(fmt)
        swapped = swapped_day_month(fmt)
        swap_case = ""
        if swapped:
            swap_case = (f"when {m} is not null and {base} is null and try_strptime({m}, {lit(swapped)}) is not null "
                         f"then 'The date in {heading} looks like month/day order; dates must be {human}.'")
        latest = ctx.today + dt.timedelta(days=300) if col.kind == "month" else ctx.today
        e = (f"case {missing} {swap_case} when {m} is not null and {base} is null then "
             f"'The value in {heading} is not a date in the agreed format {human}.' "
             f"when {base} > {date_lit(latest)} then 'The date in {heading} is in the future.' "
             f"when {base} < {date_lit(EARLIEST_DATE)} then 'The date in {heading} is before 1990, which is not "
             f"plausible.' end")
        fix = (f"case when {m} is null then {lit(miss_fix)} else {lit(f'Enter a real date as {human}.')} end")
        if fmt != "excel_serial":
            w = (f"case when {parsed} is null and {serial} is not null then 'The date in {heading} was an Excel "
                 f"serial number and was converted to a date.' end")
            wfix = lit(f"Format the column as dates ({human}) before exporting.")
    else:  # pragma: no cover - contracts only use the kinds above
        raise ValueError(col.kind)
    return {"v": v, "e": e, "f": fix, "w": w, "wf": wfix}


def build_mapped(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Context) -> list[str]:
    """Create temp table ``_m`` from ``_src``; returns the contract column names."""
    contract: Contract = spec.contract
    names = [c.name for c in contract.columns]
    m_cols = ", ".join(f"{_source_expr(c, spec, plan)} as {ident('m_' + c.name)}" for c in contract.columns)
    h = "hash(" + ", ".join(ident("m_" + n) for n in names) + ")"
    outs = []
    for c in contract.columns:
        s = column_sql(c, spec, plan, ctx, contract)
        outs += [f"{s['v']} as {ident('v_' + c.name)}", f"{s['e']} as {ident('e_' + c.name)}",
                 f"{s['f']} as {ident('f_' + c.name)}", f"{s['w']} as {ident('w_' + c.name)}",
                 f"{s['wf']} as {ident('wf_' + c.name)}", ident("m_" + c.name)]
    con.execute(f"""
        create or replace temp table _m as
        with s as (select _row, _line, {m_cols} from _src)
        select _row, _line, {h} as _h, {', '.join(outs)} from s
    """)
    return names


def collect_problems(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Context) -> None:
    """Fill ``_rej`` and ``_warn`` (temp) from ``_m`` plus the row-level checks."""
    contract: Contract = spec.contract
    con.execute("""create or replace temp table _rej (_row bigint, _line bigint, col varchar, kind varchar,
                   raw varchar, reason varchar, fix varchar)""")
    con.execute("create or replace temp table _warn as select * from _rej limit 0")
    parts, wparts = [], []
    for c in contract.columns:
        heading = lit(plan.heading.get(c.name, c.name))
        e, f, w, wf, m = (ident(p + c.name) for p in ("e_", "f_", "w_", "wf_", "m_"))
        parts.append(f"select _row, _line, {heading}, {lit(c.kind)}, {m}, {e}, {f} from _m where {e} is not null")
        if c.kind in ("text", "date", "month"):
            wparts.append(f"select _row, _line, {heading}, {lit(c.kind)}, {m}, {w}, {wf} from _m where {w} is not null")
    con.execute("insert into _rej " + " union all ".join(parts))
    _row_checks(con, spec, plan, ctx)
    if wparts:
        con.execute("insert into _warn select * from (" + " union all ".join(wparts) + ") w "
                    "where not exists (select 1 from _rej r where r._row = w._row)")


def _row_checks(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Context) -> None:
    contract: Contract = spec.contract
    names = contract.column_names
    key = list(contract.key)
    kv = [ident("v_" + k) for k in key]
    key_heading = " + ".join(plan.heading.get(k, k) for k in key)
    shown_key = "null" if any(contract.column(k).kind == "identifier" for k in key) else "m." + kv[0]
    key_not_null = " and ".join(f"{k} is not null" for k in kv)
    con.execute(f"""
        insert into _rej
        with d as (
            select {', '.join(kv)} from _m where {key_not_null} group by all having count(*) > 1
        ), g as (
            select {', '.join(kv)}, count(*) as n, min(_h) as h1, max(_h) as h2, min(_row) as first_row,
                   string_agg(cast(_row as varchar), ', ' order by _row) as rows_list
            from _m semi join d using ({', '.join(kv)}) group by all
        )
        select m._row, m._line, {lit(key_heading)}, 'key', {shown_key},
               case when g.h1 <> g.h2
                    then 'The same {key_heading} appears in ' || g.n || ' rows with different details (rows '
                         || left(g.rows_list, 60) || case when length(g.rows_list) > 60 then '…' else '' end || ').'
                    else 'This row is an exact copy of row ' || g.first_row || '.' end,
               case when g.h1 <> g.h2
                    then 'Send one row per {key_heading}; correct or remove the conflicting rows.'
                    else 'Remove the repeated row.' end
        from _m m join g using ({', '.join(kv)})
        where g.h1 <> g.h2 or m._row > g.first_row
    """)
    if "hub_id" in names and ctx.hubs_loaded:
        heading = plan.heading.get("hub_id", "hub_id")
        con.execute(f"""
            insert into _rej
            select m._row, m._line, {lit(heading)}, 'text', m.v_hub_id,
                   case when h.hub_id is null then 'The hub ' || m.v_hub_id || ' is not a known family hub.'
                        else 'The hub ' || m.v_hub_id || ' belongs to another borough (' || h.borough_code || ').' end,
                   'Use the hub id from the family hub list for your borough (ask the hub data team to add a new hub).'
            from _m m left join _hubs h on h.hub_id = m.v_hub_id
            where m.v_hub_id is not null and m.e_hub_id is null
              and (h.hub_id is null or h.borough_code <> {lit(ctx.borough_code)})
        """)
    if contract.extract == "register":
        con.execute(f"""
            insert into _rej
            select _row, _line, {lit(plan.heading.get('registration_date', 'registration_date'))}, 'date',
                   cast(v_registration_date as varchar),
                   'The registration date is before the month of birth of this child.',
                   'Check the registration date and the date of birth.'
            from _m where v_role in ('child', 'young_person') and v_registration_date < v_birth_month
              and e_registration_date is null and e_birth_month is null
        """)
    if "academic_year" in names:
        heading = plan.heading.get("academic_year", "academic_year")
        con.execute(f"""
            insert into _rej
            select _row, _line, {lit(heading)}, 'text', v_academic_year,
                   case when not regexp_full_match(v_academic_year, '[0-9]{{4}}/[0-9]{{2}}')
                        then 'The academic year is not written like 2023/24.'
                        else 'This row is for academic year ' || v_academic_year || ' but the file is for '
                             || {lit(ctx.period)} || '.' end,
                   'Write the academic year as YYYY/YY and send each year in its own file.'
            from _m where v_academic_year is not null and e_academic_year is null
              and (not regexp_full_match(v_academic_year, '[0-9]{{4}}/[0-9]{{2}}')
                   or ({lit(ctx.period)} similar to '[0-9]{{4}}/[0-9]{{2}}' and v_academic_year <> {lit(ctx.period)}))
        """)
