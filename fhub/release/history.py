"""``published_history``: what was published for each figure in each performance cycle (issue 16, point 7).

"What did we publish for Camden's GLD 2024/25 in performance cycle 2026/27 Q2?"::

    select value, suppression_symbol, dq_status, published_at
    from published_history
    where geography_name = 'Camden' and metric_id = 'eyfs_gld' and period = '2024/25'
      and breakdown_type = 'total' and cycle = '2026/27 Q2';

One row per figure (metric x geography x period x breakdown) per performance cycle: the figure as the LAST
publish within that cycle showed it. Cycles come from ``config/performance_cycles.yml``
(:mod:`fhub.release.cycles`; default UK financial-year quarters); a publish belongs to the cycle holding its
date in Europe/London. The source is ``dq.indicator_snapshots`` (one snapshot per published night, exactly as
published: suppressed and withheld values stay so). The current cycle's rows are tonight's figures and move
each night until the cycle ends (``is_current_cycle``).

The publish step writes it into the candidate file itself (not a dbt model), like ``dq_withholdings`` and
``run_manifest`` (``fhub.dbt.contract.WRITTEN_AT_PUBLISH``); its documentation is :data:`COLUMNS`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from fhub.dq.schema import columns_of, table_exists
from fhub.release.cycles import CycleCalendar

NAME = "published_history"
LONDON = ZoneInfo("Europe/London")
DESCRIPTION = ("One row per figure (metric x geography x period x breakdown) per performance cycle: the figure "
               "as the last publish within that cycle showed it (cycles: config/performance_cycles.yml).")

#: Column -> description (the relation's documentation: table and column comments, data dictionary).
COLUMNS: dict[str, str] = {
    "cycle": "Performance cycle (default financial quarter, e.g. 2026/27 Q2) the publish belongs to.",
    "cycle_start": "First day of the cycle.",
    "cycle_end": "Last day of the cycle (inclusive).",
    "is_current_cycle": "True for the cycle of the latest publish: its figures may still change until it ends.",
    "run_id": "The nightly run whose publish is the last one within the cycle.",
    "published_at": "When that run's figures were recorded as published (UTC).",
    "metric_id": "Framework metric (framework_metrics.metric_id).",
    "geography_level": "country, region, participating_boroughs, borough or hub (as indicator_values).",
    "geography_code": "Area code (as indicator_values.geography_code).",
    "geography_name": "Area name, as the current mart names it (null for an area no longer published).",
    "period": "The period the figure is for (academic year, financial year or quarter).",
    "breakdown_type": "Breakdown (total when none).",
    "breakdown_value": "Breakdown value (total when none).",
    "numerator": "Numerator as published (null when suppressed or withheld).",
    "denominator": "Denominator as published (null when suppressed or withheld).",
    "value": "Value as published, in the metric's unit (null when suppressed or withheld).",
    "suppression_symbol": "GSS symbol as published (c suppressed, x not available or withheld, ...).",
    "dq_status": "Data-quality status as published (published, withheld, ...).",
    "source": "Who the figure came from, as published (publisher and release, or borough records); null for "
              "publishes recorded before sources were published.",
    "source_precision_dp": "Decimal places the source published the figure to (as indicator_values).",
    "is_provisional": "True for figures computed from borough records that DfE has not yet published.",
}


def publish_cycles(con: duckdb.DuckDBPyConnection, calendar: CycleCalendar,
                   snapshots: str = "dq.indicator_snapshots") -> list[tuple]:
    """(run_id, published_at, cycle, start, end) for every published run in the snapshots table."""
    rows = con.execute(
        f"select run_id, min(snapshot_at) from {snapshots} group by run_id order by 2, 1"  # noqa: S608
    ).fetchall()
    out = []
    for run_id, at in rows:
        local = at.replace(tzinfo=dt.UTC).astimezone(LONDON).date()
        cycle = calendar.cycle_of(local)
        if cycle is not None:
            out.append((run_id, at, cycle.name, cycle.start, cycle.end))
    return out


def write_published_history(candidate: Path, work_db: Path, calendar: CycleCalendar) -> int:
    """(Re)write ``published_history`` in the candidate file from the work file's snapshots; returns rows."""
    con = duckdb.connect(str(candidate))
    try:
        con.execute(f"attach '{work_db}' as work (read_only)")
        runs = publish_cycles(con, calendar, "work.dq.indicator_snapshots")
        con.execute("create or replace temp table publish_cycles (run_id varchar, published_at timestamp, "
                    "cycle varchar, cycle_start date, cycle_end date)")
        if runs:
            con.executemany("insert into publish_cycles values (?, ?, ?, ?, ?)", runs)
        names = _names_join(con)
        con.execute(f"""
            create or replace table main.{NAME} as
            with last_in_cycle as (
                select * from publish_cycles
                qualify row_number() over (partition by cycle order by published_at desc, run_id desc) = 1
            )
            select c.cycle, c.cycle_start, c.cycle_end,
                   c.cycle = (select cycle from publish_cycles order by published_at desc, run_id desc limit 1)
                       as is_current_cycle,
                   c.run_id, c.published_at, s.metric_id, s.geography_level, s.geography_code,
                   coalesce(g.geography_name, g_any.geography_name) as geography_name,
                   s.period, s.breakdown_type, s.breakdown_value, s.numerator, s.denominator, s.value,
                   s.suppression_symbol, s.dq_status, s.source, s.source_precision_dp, s.is_provisional
            from last_in_cycle as c
            join work.dq.indicator_snapshots as s on s.run_id = c.run_id
            {names}
            order by c.cycle_start, s.metric_id, s.geography_code, s.period, s.breakdown_type, s.breakdown_value
        """)  # noqa: S608
        con.execute("detach work")
        document(con)
        con.execute("checkpoint")
        return con.execute(f"select count(*) from main.{NAME}").fetchone()[0]
    finally:
        con.close()


def _names_join(con: duckdb.DuckDBPyConnection) -> str:
    """The joins naming each snapshot row's area from tonight's indicator_values (``g`` and, as a fallback,
    ``g_any``). An area's name can depend on the metric and period (the participating boroughs' aggregate says
    how many boroughs it covers), so ``g`` names it per metric x period where the file has them; ``g_any`` per
    area for rows tonight's file no longer holds. ``min`` keeps the name the same run to run (``any_value``
    picked one of the aggregate's names at random)."""
    catalog = _current_database(con)
    if not table_exists(con, "main", "indicator_values", catalog=catalog):
        return ("left join (select null as geography_code, null as geography_name) as g on false "
                "left join (select null as geography_code, null as geography_name) as g_any on false")
    keys = "geography_code"
    if {"metric_id", "period"} <= set(columns_of(con, "main", "indicator_values", catalog=catalog)):
        keys = "metric_id, geography_code, period"
    return (f"left join (select {keys}, min(geography_name) as geography_name from main.indicator_values "
            f"group by all) as g using ({keys}) "
            "left join (select geography_code, min(geography_name) as geography_name from main.indicator_values "
            "group by all) as g_any on g_any.geography_code = s.geography_code")


def document(con: duckdb.DuckDBPyConnection) -> None:
    """Table and column comments from :data:`DESCRIPTION` and :data:`COLUMNS`."""
    con.execute(f"comment on table main.{NAME} is '{DESCRIPTION}'")
    for column, text in COLUMNS.items():
        con.execute(f"comment on column main.{NAME}.{column} is '{text.replace(chr(39), '')}'")


def _current_database(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchone()[0]
