"""Map and validate every row of a group of files set-based in DuckDB.

Input: temp tables ``_src`` (``_f`` file number, ``_row``, ``_line``, ``c0..cN`` all varchar) and ``_files``
(``_f``, ``period``). Output: temp tables ``_m`` (one row per data row: mapped text ``m_<col>``, typed
contract values ``v_<col>`` computed once, reject reasons ``e_<col>`` and warnings ``w_<col>`` over the typed
values), ``_rej`` (one row per rejected row × problem) and ``_warn`` (one row per accepted row × warning).
Raw values only ever live in these connection-local temp tables; what is persisted of a problem value is its
masked shape (``fhub_shape``), and every reason and fix is a template (issue 13): agreed column names, row
numbers, counts, codes and periods only, never a value.

Text columns: identifier-like *substrings* (:mod:`fhub.privacy.identifiers`, through the cheap SQL pre-filter)
reject the row in a reference column (:data:`fhub.contracts.REFERENCE_TEXT_COLUMNS`), are replaced by a tag in
a declared ``scrub`` free-text column, and blank the value (with a warning) in any other text column.

Layers (one statement): ``s0`` trims each used source column once → ``s`` maps them (value maps,
constants) → ``t`` computes the
expensive helpers once (date parses, Excel serials, identifier-shape check) → ``u`` the typed values → the
final select derives reasons and warnings from them. Fix texts are computed only for problem rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from fhub.contracts import REFERENCE_TEXT_COLUMNS, Column, Contract
from fhub.landing.columns import ColumnPlan
from fhub.landing.rowchecks import row_checks, row_warnings
from fhub.landing.sqlkit import date_lit, human_date_format, ident, lit, swapped_day_month, trimmed
from fhub.privacy.duckdb_functions import identifier_kinds_sql, kind_names_sql
from fhub.privacy.identifiers import TAGS

_NULL = "cast(null as varchar)"
_TRUE = ("true", "t", "1", "y", "yes")
_FALSE = ("false", "f", "0", "n", "no")
#: event dates (contacts, referrals, registrations, assessments) before this are implausible
EARLIEST_DATE = dt.date(1990, 1, 1)
#: birth months (parents and carers too) before this are implausible
EARLIEST_BIRTH_MONTH = dt.date(1900, 1, 1)
#: a birth month may be an expected due month: up to this many days after today
DUE_MONTH_HORIZON_DAYS = 300
#: text columns that are row keys or references: an identifier-like value rejects the row
#: (other text columns are blanked with a warning instead; declared free text is scrubbed)
_STRICT_TEXT = REFERENCE_TEXT_COLUMNS


@dataclass
class Context:
    today: dt.date
    hubs_loaded: bool


#: Excel's error values: a cell showing one of these holds no value (its formula failed).
SHEET_ERRORS = ("#N/A", "#N/A N/A", "#NA", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA")
#: largest whole number a double holds exactly (2^53 - 1): beyond it a number cannot be a count or a score
_LARGEST_WHOLE = 9007199254740991
_LARGEST_DECIMAL = 1e15


def _value_map(col: str, spec: Any, expr: str) -> str:
    """The ``values`` map of a column: exact source values first, then the same codes in any case."""
    vmap = (getattr(spec, "values", None) or {}).get(col)
    if not vmap:
        return expr
    whens = " ".join(f"when {lit(str(k))} then {lit(v)}" for k, v in vmap.items())
    folded: dict[str, Any] = {}
    for k, v in vmap.items():
        folded.setdefault(str(k).lower(), v)
    lower_whens = " ".join(f"when {lit(k)} then {lit(v)}" for k, v in folded.items())
    return f"(case {expr} {whens} else (case lower({expr}) {lower_whens} else {expr} end) end)"


def sheet_error_sql(expr: str) -> str:
    """True when a value is one of Excel's error values (``#N/A``, ``#REF!``, …), in any case."""
    # a list constant, not ``in (...)``: DuckDB rewrites a long ``in`` list into a join, which holds rows
    return (f"(case when starts_with({expr}, '#') then list_contains([{', '.join(lit(e) for e in SHEET_ERRORS)}], "
            f"upper({expr})) else false end)")


def _source_expr(col: Column, spec: Any, plan: ColumnPlan) -> str:
    """Over the trimmed source columns ``t<i>`` (trimmed once in their own layer, because a value map
    repeats its input expression)."""
    constants = getattr(spec, "constants", None) or {}
    if col.name in plan.source_index:
        return _value_map(col.name, spec, ident(f"t{plan.source_index[col.name]}"))
    if col.name in constants and constants[col.name] is not None:
        return f"cast({lit(constants[col.name])} as varchar)"
    return "cast(null as varchar)"


def _date_formats(fmt: str, month: bool) -> list[str]:
    fmts = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
    if month:
        fmts += ["%Y-%m", "%m/%Y", "%b %Y", "%b-%Y", "%B %Y"]
    if fmt != "excel_serial":
        fmts = [fmt] + [f for f in fmts if f != fmt]
    return fmts


@dataclass
class ColumnSql:
    helpers: dict[str, str]  # helper column name → expression over m_ columns (layer t)
    v: str  # typed value over m_ and helper columns (layer u)
    e: str  # reject reason over m_, helpers and v_ (null = fine)
    w: str  # warning (null = none)
    f: str  # fix for the reject (over m_ / v_ / helpers), computed only for problem rows
    wf: str  # fix for the warning


def column_sql(col: Column, spec: Any, plan: ColumnPlan, ctx: Context) -> ColumnSql:
    """``heading`` (in every message) is the agreed source column name from the borough mapping, never the
    heading text found in the file, so nothing from the file is ever part of the SQL text."""
    m = ident(f"m_{col.name}")
    v_ = ident(f"v_{col.name}")
    heading = plan.heading.get(col.name, col.name)
    missing = f"when {m} is null then {lit(f'The required value for {heading} is empty.')}" if col.required else ""
    miss_fix = lit(f"Fill in {heading} for every row.")
    vmap = (getattr(spec, "values", None) or {}).get(col.name) or {}
    src_codes = ", ".join(str(k) for k in vmap)
    null = _NULL
    helpers: dict[str, str] = {}
    w, wf = null, null
    if col.kind == "identifier":
        v = m
        e = f"case {missing} end" if missing else null
        fix = miss_fix
    elif col.kind == "text":
        k = ident(f"k_{col.name}")
        helpers[f"k_{col.name}"] = identifier_kinds_sql(m)
        kinds = kind_names_sql(k)
        formula = (f"case when left({m}, 1) in ('=', '+', '-', '@') then 'The value in {heading} starts with =, +, "
                   f"- or @, which spreadsheets treat as a formula; it was kept as text and is neutralised in every "
                   f"export.' end")
        formula_fix = (f"case when left({m}, 1) in ('=', '+', '-', '@') then 'Check the value is meant to start "
                       f"with that character.' end")
        policy = (getattr(spec, "free_text", None) or {}).get(col.name)
        if col.name in _STRICT_TEXT:
            v = m
            e = (f"case {missing} when {k} is not null then 'The value in {heading} looks like ' || {kinds} || "
                 f"'; personal identifiers must not be sent in this column.' end")
            fix = (f"case when {m} is null then {miss_fix} else 'Send your system''s own reference in "
                   f"{heading}, not an NHS number, UPN, phone number, e-mail address or postcode.' end")
            w, wf = formula, formula_fix
        elif policy == "scrub":  # agreed free text: identifier-like parts replaced by a tag, the rest kept
            v = f"case when {k} is null then {m} else fhub_scrub({m}) end"
            e = f"case {missing} end" if missing else null
            fix = miss_fix
            tags = kind_names_sql(k, TAGS)
            w = (f"coalesce(case when {k} is not null then 'The value in {heading} contained ' || {kinds} || "
                 f"'; that part was replaced by ' || {tags} || ' and the rest of the text was kept.' end, "
                 f"{formula})")
            advice = lit(f"Do not type personal identifiers, contact details or addresses into {heading}.")
            wf = f"case when {k} is not null then {advice} else {formula_fix} end"
        else:
            v = f"case when {k} is null then {m} end"
            e = f"case {missing} end" if missing else null
            fix = miss_fix
            w = (f"coalesce(case when {k} is not null then 'The value in {heading} looked like ' || {kinds} || "
                 f"' and was removed.' end, {formula})")
            wf = (f"case when {k} is not null then {lit(f'Do not put personal identifiers or addresses in {heading}.')}"
                  f" else {formula_fix} end")
    elif col.kind == "code":
        allowed = ", ".join(lit(a) for a in col.allowed)
        v = f"case when lower({m}) in ({allowed}) then lower({m}) end"
        allowed_txt = ", ".join(col.allowed) + (f" (your codes: {src_codes})" if src_codes else "")
        e = (f"case {missing} when {m} is not null and {v_} is null then "
             f"'The value in {heading} is not one of the agreed codes.' end")
        fix = f"case when {m} is null then {miss_fix} else {lit('Use one of: ' + allowed_txt + '.')} end"
    elif col.kind == "boolean":
        v = (f"case when lower({m}) in ({', '.join(map(lit, _TRUE))}) then true "
             f"when lower({m}) in ({', '.join(map(lit, _FALSE))}) then false end")
        e = (f"case {missing} when {m} is not null and {v_} is null then "
             f"'The value in {heading} is not a yes/no value.' end")
        yes_no = f"your codes: {src_codes}" if src_codes else "Y/N, Yes/No, true/false or 1/0"
        fix = f"case when {m} is null then {miss_fix} else {lit('Use ' + yes_no + '.')} end"
    elif col.kind in ("integer", "decimal"):
        # try-casts only, each guarded: NaN, infinity, 1e30 or a 20-digit number reject the row, never the file
        d = ident(f"d_{col.name}")
        helpers[f"d_{col.name}"] = f"try_cast({m} as double)"
        largest = _LARGEST_WHOLE if col.kind == "integer" else _LARGEST_DECIMAL
        finite = f"{d} is not null and isfinite({d}) and abs({d}) <= {largest}"
        if col.kind == "integer":  # a decimal part is rejected, never rounded
            v = f"case when {finite} and {d} = trunc({d}) then try_cast({d} as bigint) end"
            what = "a whole number"
        else:
            v = f"case when {finite} then {d} end"
            what = "a number"
        checks = [f"when {m} is not null and ({d} is null or not isfinite({d})) then 'The value in {heading} is "
                 f"not {what}.'",
                 f"when {m} is not null and abs({d}) > {largest} then 'The value in {heading} is far too large "
                 f"to be {what} for this column.'"]
        if col.kind == "integer":
            checks.append(f"when {m} is not null and {d} <> trunc({d}) then 'The value in {heading} has a "
                         "decimal part, but it must be a whole number (it was not rounded).'")
        rng = []
        if col.min_value is not None:
            rng.append(f"when {v_} < {col.min_value} then 'The value in {heading} is below the allowed minimum "
                       f"of {col.min_value:g}.'")
        if col.max_value is not None:
            rng.append(f"when {v_} > {col.max_value} then 'The value in {heading} is above the allowed maximum "
                       f"of {col.max_value:g}.'")
        e = f"case {missing} {' '.join(checks)} {' '.join(rng)} end"
        lo = "" if col.min_value is None else f" from {col.min_value:g}"
        hi = "" if col.max_value is None else f" to {col.max_value:g}"
        fix = f"case when {m} is null then {miss_fix} else {lit(f'Enter {what}{lo}{hi}, digits only.')} end"
    elif col.kind in ("date", "month"):
        month = col.kind == "month"
        fmt = str(getattr(spec, "date_format", None) or "%Y-%m-%d")
        p, s = ident(f"p_{col.name}"), ident(f"s_{col.name}")
        helpers[f"p_{col.name}"] = "coalesce(" + ", ".join(
            f"cast(try_strptime({m}, {lit(f)}) as date)" for f in _date_formats(fmt, month)) + ")"
        helpers[f"s_{col.name}"] = (
            f"case when regexp_full_match({m}, '[0-9]{{5}}(\\.[0-9]+)?') and cast({m} as double) between 20000 "
            f"and 80000 then cast(date '1899-12-30' + cast(floor(cast({m} as double)) as integer) as date) end")
        base = f"coalesce({p}, {s})"
        v = f"date_trunc('month', {base})::date" if month else base
        human = human_date_format(fmt)
        swapped = swapped_day_month(fmt)
        swap_case = ""
        if swapped:
            swap_case = (f"when {m} is not null and {v_} is null and try_strptime({m}, {lit(swapped)}) is not null "
                         f"then 'The date in {heading} looks like month/day order; dates must be {human}.'")
        if month:  # a birth month: parents and carers are born long before 1990; due months are ahead
            latest = ctx.today + dt.timedelta(days=DUE_MONTH_HORIZON_DAYS)
            future = (f"'The month in {heading} is more than {DUE_MONTH_HORIZON_DAYS // 30} months in the future "
                      f"(even an expected due month cannot be).'")
            earliest, early_txt = EARLIEST_BIRTH_MONTH, f"'The month in {heading} is before 1900, which is not plausible.'"
        else:
            latest, future = ctx.today, f"'The date in {heading} is in the future.'"
            earliest = EARLIEST_DATE
            early_txt = f"'The date in {heading} is before 1990, which is not plausible.'"
        e = (f"case {missing} {swap_case} when {m} is not null and {v_} is null then "
             f"'The value in {heading} is not a date in the agreed format {human}.' "
             f"when year({v_}) < 100 then 'The date in {heading} has a two-digit year; dates must be {human} "
             "with the year in four digits.' "
             f"when {v_} > {date_lit(latest)} then {future} "
             f"when {v_} < {date_lit(earliest)} then {early_txt} end")
        fix = f"case when {m} is null then {miss_fix} else {lit(f'Enter a real date as {human}.')} end"
        if fmt != "excel_serial":
            w = (f"case when {p} is null and {s} is not null then 'The date in {heading} was an Excel "
                 f"serial number and was converted to a date.' end")
            wf = lit(f"Format the column as dates ({human}) before exporting.")
    else:  # pragma: no cover - contracts only use the kinds above
        raise ValueError(col.kind)
    out = ColumnSql(helpers=helpers, v=v, e=e, w=w, f=fix, wf=wf)
    return _with_sheet_errors(col, out, m, heading) if col.name in plan.source_index else out


def _with_sheet_errors(col: Column, s: ColumnSql, m: str, heading: str) -> ColumnSql:
    """A spreadsheet error value (``#N/A``, …) is never data: a required column's row is rejected saying so
    (not "empty"), an optional column's value is left empty with a warning."""
    x = ident(f"x_{col.name}")
    s.helpers[f"x_{col.name}"] = sheet_error_sql(m)
    s.v = f"case when {x} then null else {s.v} end"
    is_error = sheet_error_sql(m)
    if col.required:
        s.e = (f"case when {x} then 'The value in {heading} is a spreadsheet error value, not a value: the "
               f"formula that should fill it failed.' else {s.e} end")
        s.f = (f"case when {is_error} then {lit(f'Fix the formula behind {heading} or type the value, then export again.')} "
               f"else {s.f} end")
    else:
        if s.e != _NULL:
            s.e = f"case when {x} then null else {s.e} end"
        s.w = (f"case when {x} then 'The value in {heading} was a spreadsheet error value (a failed formula) and "
               f"was left empty.' else {s.w} end")
        s.wf = (f"case when {is_error} then {lit(f'Fix the formula behind {heading} if the value is known.')} "
                f"else {s.wf} end")
    return s


def _all_sql(spec: Any, plan: ColumnPlan, ctx: Context) -> dict[str, ColumnSql]:
    return {c.name: column_sql(c, spec, plan, ctx) for c in spec.contract.columns}


def build_mapped(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Context) -> None:
    """Create temp table ``_m`` from ``_src``."""
    contract: Contract = spec.contract
    names = [c.name for c in contract.columns]
    sqls = _all_sql(spec, plan, ctx)
    m_cols = ", ".join(f"{_source_expr(c, spec, plan)} as {ident('m_' + c.name)}" for c in contract.columns)
    t_cols = ", ".join(f"{trimmed(ident(f'c{i}'))} as {ident(f't{i}')}" for i in sorted(set(plan.source_index.values())))
    helper_cols = [f"{expr} as {ident(h)}" for s in sqls.values() for h, expr in s.helpers.items()]
    v_cols = [f"{sqls[n].v} as {ident('v_' + n)}" for n in names]
    keep_helpers = [ident(h) for s in sqls.values() for h in s.helpers if h.startswith(("k_", "p_", "s_"))]
    outs = []
    for n in names:  # reason / warning columns only where the column can have one (narrower _m)
        outs += [ident("m_" + n), ident("v_" + n)]
        outs += [f"{sqls[n].e} as {ident('e_' + n)}"] if sqls[n].e != _NULL else []
        outs += [f"{sqls[n].w} as {ident('w_' + n)}"] if sqls[n].w != _NULL else []
    h = "hash(" + ", ".join(ident("m_" + n) for n in names) + ")"
    con.execute(f"""
        create or replace temp table _m as
        with s0 as (select _f, _row, _line, {t_cols} from _src),
        s as (select _f, _row, _line, {m_cols} from s0),
        t as (select *{''.join(', ' + x for x in helper_cols)} from s),
        u as (select *, {', '.join(v_cols)} from t)
        select _f, _row, _line, {h} as _h, {', '.join(outs + keep_helpers)} from u
    """)


def collect_problems(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Context) -> None:
    """Fill ``_rej`` and ``_warn`` (temp) from ``_m`` plus the row-level checks."""
    contract: Contract = spec.contract
    sqls = _all_sql(spec, plan, ctx)
    con.execute("""create or replace temp table _rej (_f integer, _row bigint, _line bigint, col varchar,
                   kind varchar, raw varchar, reason varchar, fix varchar)""")
    con.execute("create or replace temp table _warn as select * from _rej limit 0")
    parts, wparts = [], []
    for c in contract.columns:
        heading = lit(plan.heading.get(c.name, c.name))
        s = sqls[c.name]
        e, w, m = (ident(p + c.name) for p in ("e_", "w_", "m_"))
        if s.e != _NULL:
            parts.append(f"select _f, _row, _line, {heading}, {lit(c.kind)}, {m}, {e}, {s.f} from _m "
                         f"where {e} is not null")
        if s.w != _NULL:
            wparts.append(f"select _f, _row, _line, {heading}, {lit(c.kind)}, {m}, {w}, {s.wf} from _m "
                          f"where {w} is not null")
    if parts:
        con.execute("insert into _rej " + " union all ".join(parts))
    row_checks(con, spec, plan, ctx)
    row_warnings(con, spec, plan)
    if wparts:
        con.execute("insert into _warn select * from (" + " union all ".join(wparts) + ") w")
    con.execute("delete from _warn w where exists (select 1 from _rej r where r._f = w._f and r._row = w._row)")
