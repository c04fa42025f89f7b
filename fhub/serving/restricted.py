"""The ``restricted`` schema: each borough's own UNSUPPRESSED borough- and hub-level figures.

Source: ``marts.fct_indicator_values_unsuppressed`` in the work file (the values before disclosure control),
only rows of a borough or of one of its hubs computed from the boroughs' own deliveries (DfE's published
statistics are public anyway). Each row carries ``borough_code``: row-level security shows a borough role
the rows of its own borough only (:mod:`fhub.serving.roles`). Beside the unsuppressed figures each row says
what the public mart shows for it (``public_suppression_symbol``, ``dq_status``, ``dq_reason``), so a
borough sees which of its figures are suppressed or withheld in public.

The figures must be those of the night whose mart is served: when the work file was rebuilt by a run that
did not publish (or is absent), the restricted table is served empty and the load says why.
"""

from __future__ import annotations

from fhub.serving.comments import Comment, DbtDescriptions
from fhub.serving.source import OpenedSource, SourceTable

UNSUPPRESSED = "marts.fct_indicator_values_unsuppressed"
TABLE = "indicator_values"
RLS_COLUMN = "borough_code"
KEY = ("metric_id", "geography_level", "geography_code", "period", "breakdown_type", "breakdown_value")

#: (column, DuckDB type, where it comes from: u = unsuppressed work relation, p = published indicator_values)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("borough_code", "VARCHAR", "u.borough_code"),
    ("metric_id", "VARCHAR", "u.metric_id"),
    ("metric_name", "VARCHAR", "u.metric_name"),
    ("domain", "VARCHAR", "u.domain"),
    ("layer", "INTEGER", "u.layer"),
    ("geography_level", "VARCHAR", "u.geography_level"),
    ("geography_code", "VARCHAR", "u.geography_code"),
    ("geography_name", "VARCHAR", "u.geography_name"),
    ("period", "VARCHAR", "u.period"),
    ("breakdown_type", "VARCHAR", "u.breakdown_type"),
    ("breakdown_value", "VARCHAR", "u.breakdown_value"),
    ("numerator", "DOUBLE", "u.numerator"),
    ("denominator", "DOUBLE", "u.denominator"),
    ("value", "DOUBLE", "u.value"),
    ("lower_95", "DOUBLE", "u.lower_95"),
    ("upper_95", "DOUBLE", "u.upper_95"),
    ("lower_998", "DOUBLE", "u.lower_998"),
    ("upper_998", "DOUBLE", "u.upper_998"),
    ("unit", "VARCHAR", "u.unit"),
    ("source", "VARCHAR", "u.source"),
    ("source_precision_dp", "INTEGER", "u.source_precision_dp"),
    ("is_provisional", "BOOLEAN", "u.is_provisional"),
    ("public_suppression_symbol", "VARCHAR", "p.suppression_symbol"),
    ("dq_status", "VARCHAR", "p.dq_status"),
    ("dq_reason", "VARCHAR", "p.dq_reason"),
    ("framework_version", "VARCHAR", "u.framework_version"),
    ("run_id", "VARCHAR", "u.run_id"),
)

TABLE_COMMENT = (
    "RESTRICTED - one row per metric x geography (a borough or one of its hubs) x period x breakdown with the "
    "UNSUPPRESSED numerator, denominator and value, for the borough's own use only. Row-level security: a "
    "borough role sees its own borough's rows. Never share these figures outside the borough: small numbers "
    "are not suppressed here (the public mart's indicator_values is the shareable version)."
)
_COLUMN_COMMENTS = {
    "borough_code": "ONS code of the borough the row belongs to (its own row, or one of its hubs); the row-level security key.",
    "numerator": "Unsuppressed numerator (for means: the sum of the measure; for counts: the count).",
    "denominator": "Unsuppressed denominator (null for counts and gaps).",
    "value": "Unsuppressed value in the metric's unit.",
    "unit": "Unit of value: percent (0-100), percentage_points, count, mean, days or points.",
    "public_suppression_symbol": "What the public mart shows for this row: c = suppressed for disclosure control, x = not available or withheld, null = shown.",
    "dq_status": "published or withheld in the public mart tonight (withheld: a data-quality check failed for a delivery this value depends on).",
    "dq_reason": "Why the public value was withheld (which delivery scope failed), when it was.",
}


def restricted_table(source: OpenedSource) -> tuple[SourceTable, str | None]:
    """The restricted table to load, and a note when it has to be served empty (and why)."""
    why_empty = _unavailable(source)
    if why_empty:
        empty = ", ".join(f"cast(null as {t}) as {c}" for c, t, _ in COLUMNS)
        return source.describe(TABLE, f"select {empty} where false"), why_empty  # noqa: S608
    published_columns = {
        r[0]
        for r in source.con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = 'main' and table_name = 'indicator_values'"
        ).fetchall()
    }
    select = ", ".join(
        f"cast({expr} as {duck_type}) as {name}"
        if not expr.startswith("p.") or expr[2:] in published_columns
        else f"cast(null as {duck_type}) as {name}"
        for name, duck_type, expr in COLUMNS
    )
    query = (
        f"select {select} from work.{UNSUPPRESSED} as u "  # noqa: S608 - our own SQL
        f"left join main.indicator_values as p using ({', '.join(KEY)}) "
        "where u.geography_level in ('borough', 'hub') and not coalesce(u.is_published_statistic, false) "
        "and u.borough_code is not null"
    )
    return source.describe(TABLE, query), None


def _unavailable(source: OpenedSource) -> str | None:
    if not source.work_attached:
        return "the work file is not there, so the restricted figures were served empty"
    schema, name = UNSUPPRESSED.split(".")
    present = source.con.execute(
        "select count(*) from information_schema.tables where table_catalog = 'work' and table_schema = ? "
        "and table_name = ?",
        [schema, name],
    ).fetchone()[0]
    if not present:
        return f"{UNSUPPRESSED} is not in the work file, so the restricted figures were served empty"
    runs = [r[0] for r in source.con.execute(f"select distinct run_id from work.{UNSUPPRESSED}").fetchall()]  # noqa: S608
    if runs and runs != [source.run_id]:
        work_runs = ", ".join(sorted(map(str, runs)))[:80]
        return (
            f"the work file holds run {work_runs} but the published mart is run {source.run_id}: the "
            "restricted figures were served empty rather than mismatched"
        )
    return None


def restricted_comment(descriptions: DbtDescriptions) -> Comment:
    from_dbt = descriptions.for_work(UNSUPPRESSED).columns
    columns = {name: _COLUMN_COMMENTS.get(name) or from_dbt.get(name, "") for name, _, _ in COLUMNS}
    return Comment(table=TABLE_COMMENT, columns={k: v for k, v in columns.items() if v})
