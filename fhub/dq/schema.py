"""The ``dq`` schema in the WORK file: check results, delivery arrivals and published-value snapshots.

Tables are created empty from DDL (``ensure_dq_schema``) so the dbt models over them always build.
History is append-only and keyed by ``run_id``; re-recording the same run and source replaces that slice.
"""

from __future__ import annotations

import duckdb

DIMENSIONS = ("completeness", "validity", "uniqueness", "timeliness", "consistency", "plausibility")
SEVERITIES = ("blocking_all", "withhold_scope", "warn")
STATUSES = ("pass", "fail", "warn")
SOURCES = ("dbt", "gx", "landing", "privacy", "reconciliation", "serving")  # privacy: the nightly identifier scan; reconciliation: borough records vs DfE; serving: the load into PostgreSQL

CHECK_RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "varchar not null"),
    ("check_id", "varchar not null"),  # unique within a run: source:check_name:scope
    ("checked_at", "timestamp not null"),
    ("borough_code", "varchar"),
    ("extract_type", "varchar"),
    ("period", "varchar"),
    ("check_name", "varchar not null"),
    ("source", "varchar not null"),
    ("target_relation", "varchar"),
    ("dimension", "varchar not null"),
    ("severity", "varchar not null"),
    ("status", "varchar not null"),
    ("observed_value", "varchar"),
    ("failing_rows", "bigint"),
    ("failing_sample", "varchar"),  # JSON list of pseudonymised keys (never raw identifiers)
    ("message", "varchar"),
    ("fix", "varchar"),
)

DELIVERY_ARRIVAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("delivery_id", "varchar not null"),
    ("run_id", "varchar"),
    ("recorded_at", "timestamp"),
    ("borough_code", "varchar"),
    ("extract_type", "varchar"),
    ("period", "varchar"),
    ("period_start", "date"),
    ("period_end", "date"),  # exclusive
    ("source_file", "varchar"),  # no longer filled (issue 13): the file name stays in landing.deliveries
    ("received_at", "timestamp"),
    ("loaded_at", "timestamp"),
    ("status", "varchar"),
    ("rows_delivered", "bigint"),
    ("rows_landed", "bigint"),
    ("rows_rejected", "bigint"),
    ("rows_warned", "bigint"),
    ("delivery_label", "varchar"),  # 'hackney contacts 2024-05 (delivery 3f2a91c0)' (fhub.landing.labels)
)

SNAPSHOT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "varchar not null"),
    ("snapshot_at", "timestamp not null"),
    ("metric_id", "varchar not null"),
    ("geography_level", "varchar"),
    ("geography_code", "varchar not null"),
    ("borough_code", "varchar"),
    ("period", "varchar not null"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("breakdown_type", "varchar not null"),
    ("breakdown_value", "varchar not null"),
    ("source_extract", "varchar"),
    ("numerator", "double"),
    ("denominator", "double"),
    ("value", "double"),
    ("suppression_symbol", "varchar"),
    ("dq_status", "varchar"),
    # what the figure is (issue 16): who published it (or borough records), its precision, provisional or not
    ("source", "varchar"),
    ("source_precision_dp", "integer"),
    ("is_provisional", "boolean"),
)


def _ddl(table: str, columns: tuple[tuple[str, str], ...]) -> str:
    body = ",\n  ".join(f"{name} {sql_type}" for name, sql_type in columns)
    return f"create table if not exists dq.{table} (\n  {body}\n)"


def ensure_dq_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``dq`` and its tables if missing (idempotent; never drops history), and bring rows written
    by earlier versions into line once (:mod:`fhub.dq.history`)."""
    con.execute("create schema if not exists dq")
    for table, columns in (
        ("check_results", CHECK_RESULT_COLUMNS),
        ("delivery_arrivals", DELIVERY_ARRIVAL_COLUMNS),
        ("indicator_snapshots", SNAPSHOT_COLUMNS),
    ):
        con.execute(_ddl(table, columns))
        # history tables outlive code versions: add columns introduced later (nullable) instead of failing
        existing = set(columns_of(con, "dq", table))
        for name, sql_type in columns:
            if name not in existing:
                con.execute(f"alter table dq.{table} add column {name} {sql_type.replace(' not null', '')}")
    from fhub.dq.history import migrate_history

    migrate_history(con)  # once per work file: rows written before messages were templates (issue 13)


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None) -> bool:
    sql = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    params: list[str] = [schema, table]
    if catalog:
        sql += " and table_catalog = ?"
        params.append(catalog)
    return bool(con.execute(sql, params).fetchone()[0])


def columns_of(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None
) -> list[str]:
    sql = "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
    params: list[str] = [schema, table]
    if catalog:
        sql += " and table_catalog = ?"
        params.append(catalog)
    return [r[0] for r in con.execute(sql + " order by ordinal_position", params).fetchall()]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, names: list[str], rows: list[tuple]) -> None:
    """Bulk insert (via Arrow; DuckDB's ``executemany`` goes row by row and is slow beyond a few hundred)."""
    if not rows:
        return
    import pyarrow as pa

    columns = list(zip(*rows, strict=True))
    arrow = pa.table({name: pa.array(list(col)) for name, col in zip(names, columns, strict=True)})
    con.register("_fhub_insert_rows", arrow)
    try:
        con.execute(
            f"insert into {table} ({', '.join(names)}) select {', '.join(names)} from _fhub_insert_rows"  # noqa: S608
        )
    finally:
        con.unregister("_fhub_insert_rows")
