"""Bookkeeping DDL: schemas ``raw`` and ``landing`` and every table landing writes (created if missing)."""

from __future__ import annotations

import duckdb

from fhub.contracts import CONTRACTS, raw_table_ddl

#: Columns shared by ``landing.rejects`` and ``landing.warnings`` (one row per row × problem).
_PROBLEM_COLUMNS = """
    delivery_id varchar not null,
    source_file varchar not null,
    row_number bigint,          -- 1-based data row in the delivered file (null: the problem is file-level)
    line_number bigint,         -- physical line (CSV) or sheet row (XLSX) where known
    column_name varchar,        -- the borough's column heading (or contract column if not mapped)
    value_excerpt varchar,      -- masked / truncated, never a raw identifier
    reason varchar not null,
    fix varchar,
    run_id varchar not null
"""

LANDING_DDL: tuple[str, ...] = (
    "create schema if not exists raw",
    "create schema if not exists landing",
    """
    create table if not exists landing.deliveries (
        delivery_id varchar primary key,   -- = sha256 of the delivered bytes
        borough_code varchar,
        borough_slug varchar not null,
        extract_type varchar,
        period varchar,
        source_file varchar not null,
        sha256 varchar not null,
        size_bytes bigint not null,
        received_at timestamp,             -- file modification time in incoming/
        loaded_at timestamp not null,
        run_id varchar not null,
        status varchar not null,           -- landed | quarantined | superseded
        rows_delivered bigint not null,
        rows_landed bigint not null,
        rows_rejected bigint not null,
        rows_warned bigint not null,
        superseded_by varchar,
        key_label varchar                  -- which pseudonymisation key (demo / env / prefect-secret), never the key
    )
    """,
    f"create table if not exists landing.rejects ({_PROBLEM_COLUMNS})",
    f"create table if not exists landing.warnings ({_PROBLEM_COLUMNS})",
    """
    create table if not exists landing.quarantine (
        delivery_id varchar not null,
        borough_slug varchar not null,
        source_file varchar not null,
        sha256 varchar not null,
        reason varchar not null,
        fix varchar,
        run_id varchar not null,
        quarantined_at timestamp not null
    )
    """,
    """
    create table if not exists landing.runs (
        run_id varchar primary key,
        started_at timestamp not null,
        finished_at timestamp,
        mode varchar,
        code_version varchar
    )
    """,
)


def ensure_landing_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schemas ``raw``/``landing``, every raw table (empty, from the contracts) and the bookkeeping
    tables, if missing. Idempotent."""
    for stmt in LANDING_DDL:
        con.execute(stmt)
    for contract in CONTRACTS.values():
        con.execute(raw_table_ddl(contract))
