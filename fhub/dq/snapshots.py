"""Snapshots of the published ``indicator_values`` so revisions between runs can be found (``dq_revisions``).

The lead calls :func:`record_indicator_snapshot` after a successful publish. It reads the PUBLISHED file
read-only (suppressed values only) and appends one row per published value to ``dq.indicator_snapshots`` in
the work file, with the borough each row belongs to, the metric's source extract(s) and the period's date
range — enough for ``dq_revisions`` to say which delivery caused a change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from fhub.dq.extracts import extracts_of
from fhub.dq.periods import period_range
from fhub.dq.schema import SNAPSHOT_COLUMNS, columns_of, ensure_dq_schema, insert_rows, table_exists


def record_indicator_snapshot(con: duckdb.DuckDBPyConnection, run_id: str, published_db: Path) -> int:
    """Append the published file's indicator values as the snapshot of ``run_id``; returns rows written."""
    ensure_dq_schema(con)
    published_db = Path(published_db)
    if not published_db.exists():
        raise FileNotFoundError(f"{published_db} does not exist: publish before taking a snapshot.")
    alias = "_snapshot_pub"
    con.execute(f"attach '{published_db}' as {alias} (read_only)")
    try:
        if not table_exists(con, "main", "indicator_values", catalog=alias):
            return 0
        cols = set(columns_of(con, "main", "indicator_values", catalog=alias))
        has_hubs = table_exists(con, "main", "hubs", catalog=alias)
        has_metrics = table_exists(con, "main", "framework_metrics", catalog=alias) and "source_extract" in set(
            columns_of(con, "main", "framework_metrics", catalog=alias)
        )

        def col(name: str, cast: str = "varchar") -> str:
            return f"cast(iv.{name} as {cast})" if name in cols else f"cast(null as {cast})"

        hub_join = (
            f"left join {alias}.main.hubs h on iv.geography_level = 'hub' and h.hub_id = iv.geography_code"
            if has_hubs
            else "left join (select null as hub_id, null as borough_code) h on false"
        )
        metric_join = (
            f"left join (select metric_id, any_value(source_extract) as source_extract "
            f"from {alias}.main.framework_metrics group by metric_id) m on m.metric_id = iv.metric_id"
            if has_metrics
            else "left join (select null as metric_id, null as source_extract) m on false"
        )
        rows = con.execute(
            f"""
            select iv.metric_id, iv.geography_level, iv.geography_code,
                   case when iv.geography_level = 'borough' then iv.geography_code else h.borough_code end,
                   iv.period, coalesce(iv.breakdown_type, 'total'), coalesce(iv.breakdown_value, 'total'),
                   m.source_extract, {col('numerator', 'double')}, {col('denominator', 'double')},
                   {col('value', 'double')}, {col('suppression_symbol')}, {col('dq_status')},
                   {col('source')}, {col('source_precision_dp', 'integer')}, {col('is_provisional', 'boolean')}
            from {alias}.main.indicator_values iv {hub_join} {metric_join}
            """  # noqa: S608
        ).fetchall()
    finally:
        con.execute(f"detach {alias}")
    now = datetime.now(UTC).replace(tzinfo=None)
    ranges: dict[str, tuple] = {}
    records = []
    for (metric, level, code, borough, period, btype, bvalue, source, num, den, value, symbol, status,
         figure_source, precision, provisional) in rows:
        if period not in ranges:
            try:
                ranges[period] = period_range(period)
            except ValueError:
                ranges[period] = (None, None)
        start, end = ranges[period]
        extracts = extracts_of(source)
        source = None if extracts is None else ",".join(extracts)
        records.append(
            (run_id, now, metric, level, code, borough, period, start, end, btype, bvalue, source, num, den, value,
             symbol, status, figure_source, precision, provisional)
        )
    names = [name for name, _ in SNAPSHOT_COLUMNS]
    con.execute("delete from dq.indicator_snapshots where run_id = ?", [run_id])
    insert_rows(con, "dq.indicator_snapshots", names, records)
    return len(records)
