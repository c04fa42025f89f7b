"""Bookkeeping DDL: schemas ``raw`` and ``landing`` and every table landing writes (created if missing)."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from fhub.contracts import CONTRACTS, raw_table_ddl
from fhub.landing.labels import delivery_label
from fhub.landing.ledger import RECONCILIATION_DDL
from fhub.privacy.ledgers import PRIVACY_LEDGER_DDL

#: Columns shared by ``landing.rejects`` and ``landing.warnings`` (one row per row × problem).
_PROBLEM_COLUMNS = """
    delivery_id varchar not null,
    source_file varchar not null,
    row_number bigint,          -- 1-based data row in the delivered file (null: the problem is file-level)
    line_number bigint,         -- physical line (CSV) or sheet row (XLSX) where known
    column_name varchar,        -- the agreed heading (mapping), contract column, or 'column N' (never file text)
    value_excerpt varchar,      -- the value's masked shape ('NN/NN/NNNN', 'text of 12 characters'), never text
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
        status varchar not null,           -- landed | quarantined | superseded | held (not in use)
        rows_delivered bigint not null,
        rows_landed bigint not null,
        rows_rejected bigint not null,
        rows_warned bigint not null,
        superseded_by varchar,
        key_label varchar,                 -- which pseudonymisation key (demo / env / prefect-secret), never the key
        delivery_label varchar             -- 'hackney contacts 2024-05 (delivery 3f2a91c0)': the name outside the
                                           -- work file (fhub.landing.labels); source_file never leaves it
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
    RECONCILIATION_DDL,
    """
    create table if not exists landing.holds (
        delivery_id varchar not null,      -- a delivery with status 'held': stored, not in use
        run_id varchar not null,
        kind varchar not null,             -- wrong_period | resubmission_drop
        looks_like_period varchar,         -- wrong_period: the period its rows belong to
        replaces varchar,                  -- resubmission_drop: the delivery ids it would replace
        reason varchar not null,
        fix varchar,
        held_at timestamp not null,
        confirmed_at timestamp,            -- resubmission_drop: when the borough confirmed it
        confirmed_run_id varchar
    )
    """,
    """
    create table if not exists landing.delivery_checks (
        delivery_id varchar not null,      -- a finding about a whole delivery (e.g. an ELG empty for the cohort)
        run_id varchar not null,
        check_name varchar not null,
        column_name varchar,               -- the agreed column name from the borough mapping
        failing_rows bigint,
        message varchar not null,
        fix varchar
    )
    """,
    """
    create table if not exists landing.file_events (
        run_id varchar not null,           -- files that are not deliveries: each gets a receipt line once
        borough_slug varchar not null,
        file_key varchar not null,         -- sha256 (duplicates) or a hash of name, size and time
        event varchar not null,            -- ignored | symlink | duplicate
        sha256 varchar,
        duplicate_of varchar,              -- duplicate: the delivery id with these bytes
        borough_code varchar,
        extract_type varchar,
        period varchar,                    -- duplicate: the period its name declares (still missing)
        reason varchar not null,
        fix varchar,
        seen_at timestamp not null
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
    tables, if missing; label deliveries recorded before labels existed. Idempotent."""
    for stmt in LANDING_DDL + PRIVACY_LEDGER_DDL:
        con.execute(stmt)
    for contract in CONTRACTS.values():
        con.execute(raw_table_ddl(contract))
    label_deliveries(con)


def label_deliveries(con: duckdb.DuckDBPyConnection) -> int:
    """Give every ``landing.deliveries`` row its ``delivery_label`` (a work file written before labels existed
    gets the column and its rows are labelled from borough, extract, period and id). Returns rows labelled."""
    con.execute("alter table landing.deliveries add column if not exists delivery_label varchar")
    rows = con.execute("select delivery_id, borough_slug, extract_type, period from landing.deliveries "
                       "where delivery_label is null").fetchall()
    if not rows:
        return 0
    table = pa.table({"delivery_id": pa.array([r[0] for r in rows], pa.string()),
                      "label": pa.array([delivery_label(*r[1:], r[0]) for r in rows], pa.string())})
    con.register("_labels_arrow", table)
    try:
        con.execute("update landing.deliveries d set delivery_label = l.label from _labels_arrow l "
                    "where l.delivery_id = d.delivery_id")
    finally:
        con.unregister("_labels_arrow")
    return len(rows)
