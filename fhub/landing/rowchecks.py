"""Row-level checks over the mapped rows ``_m`` of a group (into ``_rej`` / ``_warn``): duplicates within a
file, hubs of another borough or unknown, registrations before birth, academic years, and Reception pupils'
birth months."""

from __future__ import annotations

from typing import Any

import duckdb

from fhub.contracts import Contract
from fhub.landing.columns import ColumnPlan
from fhub.landing.sqlkit import ident, lit


def row_warnings(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan) -> None:
    """Accepted with a warning: a Reception pupil (EYFSP) whose birth month does not fit the academic year."""
    contract: Contract = spec.contract
    if contract.extract != "eyfsp" or "birth_month" not in contract.column_names:
        return
    heading = plan.heading.get("birth_month", "birth_month")
    con.execute(f"""
        insert into _warn
        with y as (
            select _f, _row, _line, m_birth_month, v_birth_month,
                   cast(left(coalesce(case when regexp_full_match(v_academic_year, '[0-9]{{4}}/[0-9]{{2}}')
                                           then v_academic_year end, f.period), 4) as integer) as y0
            from _m join _files f using (_f)
            where v_birth_month is not null and e_birth_month is null
        )
        select _f, _row, _line, {lit(heading)}, 'month', m_birth_month,
               'The month of birth in {heading} does not fit a Reception child in ' || y0 || '/'
               || right(cast(y0 + 1 as varchar), 2) || ', who is born between September ' || (y0 - 5)
               || ' and August ' || (y0 - 4) || ' (kept; check the birth month or the academic year).',
               'Check the month of birth; children outside their year group are rare.'
        from y
        where y0 is not null
          and (v_birth_month < make_date(y0 - 5, 9, 1) or v_birth_month > make_date(y0 - 4, 8, 1))
    """)


def canonical_hub_ids(con: duckdb.DuckDBPyConnection, contract: Contract, hubs_loaded: bool) -> None:
    """Hub ids are codes from the family hub list: one sent in other capitals (``hac-01``) is taken as the
    listed id (``HAC-01``). Only the few distinct ids not found as sent are looked at."""
    if "hub_id" not in contract.column_names or not hubs_loaded:
        return
    con.execute("""
        create or replace temp table _hubfix as
        select u.v_hub_id as sent, min(h.hub_id) as listed
        from (select distinct v_hub_id from _m where v_hub_id is not null) u
        join _hubs h on upper(h.hub_id) = upper(u.v_hub_id)
        where u.v_hub_id not in (select hub_id from _hubs)
        group by 1
    """)
    if con.execute("select count(*) from _hubfix").fetchone()[0]:
        con.execute("update _m set v_hub_id = x.listed from _hubfix x where _m.v_hub_id = x.sent")
    con.execute("drop table _hubfix")


def row_checks(con: duckdb.DuckDBPyConnection, spec: Any, plan: ColumnPlan, ctx: Any) -> None:
    contract: Contract = spec.contract
    names = contract.column_names
    key = list(contract.key)
    kv = [ident("v_" + k) for k in key]
    key_heading = " + ".join(plan.heading.get(k, k) for k in key)
    shown_key = "null" if any(contract.column(k).kind == "identifier" for k in key) else "m." + kv[0]
    key_not_null = " and ".join(f"{k} is not null" for k in kv)
    # duplicates are judged within one delivered file; the join is on (file, key) and the CTE g has exactly
    # one row per (file, duplicated key), so no row can fan out
    con.execute(f"""
        insert into _rej
        with d as (
            select _f, {', '.join(kv)} from _m where {key_not_null} group by all having count(*) > 1
        ), g as (
            select _f, {', '.join(kv)}, count(*) as n, min(_h) as h1, max(_h) as h2, min(_row) as first_row,
                   string_agg(cast(_row as varchar), ', ' order by _row) as rows_list
            from _m semi join d using (_f, {', '.join(kv)}) group by all
        )
        select m._f, m._row, m._line, {lit(key_heading)}, 'key', {shown_key},
               case when g.h1 <> g.h2
                    then 'The same {key_heading} appears in ' || g.n || ' rows with different details (rows '
                         || left(g.rows_list, 60) || case when length(g.rows_list) > 60 then '…' else '' end || ').'
                    else 'This row is an exact copy of row ' || g.first_row || '.' end,
               case when g.h1 <> g.h2
                    then 'Send one row per {key_heading}; correct or remove the conflicting rows.'
                    else 'Remove the repeated row.' end
        from _m m join g on g._f = m._f and {' and '.join(f'g.{k} = m.{k}' for k in kv)}
        where g.h1 <> g.h2 or m._row > g.first_row
    """)
    if "hub_id" in names and ctx.hubs_loaded:
        heading = plan.heading.get("hub_id", "hub_id")
        con.execute(f"""
            insert into _rej
            select m._f, m._row, m._line, {lit(heading)}, 'text', m.v_hub_id,
                   case when h.hub_id is null then 'The value in {heading} is not a known family hub id.'
                        else 'The hub ' || h.hub_id || ' (a known hub id) belongs to another borough ('
                             || h.borough_code || ').' end,
                   'Use the hub id from the family hub list for your borough (ask the hub data team to add a new hub).'
            from _m m join _files f using (_f) left join _hubs h on h.hub_id = m.v_hub_id
            where m.v_hub_id is not null and m.e_hub_id is null
              and (h.hub_id is null or h.borough_code <> f.borough_code)
        """)
    if contract.extract == "register":
        con.execute(f"""
            insert into _rej
            select _f, _row, _line, {lit(plan.heading.get('registration_date', 'registration_date'))}, 'date',
                   cast(v_registration_date as varchar),
                   'The registration date is before the month of birth of this child.',
                   'Check the registration date and the date of birth.'
            from _m where v_role in ('child', 'young_person') and v_registration_date < v_birth_month
              and e_registration_date is null and e_birth_month is null
        """)
    if contract.extract == "eyfsp" and "birth_month" in names:
        # the profile is completed by the end of June of the Reception year: a child born later was not assessed
        con.execute(f"""
            insert into _rej
            with y as (
                select _f, _row, _line, m_birth_month, v_birth_month,
                       cast(left(coalesce(case when regexp_full_match(v_academic_year, '[0-9]{{4}}/[0-9]{{2}}')
                                               then v_academic_year end, f.period), 4) as integer) as y0
                from _m join _files f using (_f)
                where v_birth_month is not null and e_birth_month is null
            )
            select _f, _row, _line, {lit(plan.heading.get('birth_month', 'birth_month'))}, 'month', m_birth_month,
                   'The month of birth is after the end of the ' || y0 || '/' || right(cast(y0 + 1 as varchar), 2)
                   || ' assessment (June ' || (y0 + 1) || '): the child cannot have been assessed, so the row '
                   || 'is not counted.',
                   'Check the month of birth and the academic year of this pupil.'
            from y
            where y0 is not null and v_birth_month >= make_date(y0 + 1, 7, 1)
        """)
    if "academic_year" in names:  # its period (the year in the file name): fhub.landing.periods
        heading = plan.heading.get("academic_year", "academic_year")
        con.execute(f"""
            insert into _rej
            select _f, _row, _line, {lit(heading)}, 'text', v_academic_year,
                   'The academic year is not written like 2023/24.',
                   'Write the academic year as YYYY/YY and send each year in its own file.'
            from _m
            where v_academic_year is not null and e_academic_year is null
              and not regexp_full_match(v_academic_year, '[0-9]{{4}}/[0-9]{{2}}')
        """)
