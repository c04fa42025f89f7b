"""Helpers for the serving tests: connections as a role, order-independent table checksums, mart versions."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

from fhub.serving.cluster import SUPERUSER, ClusterInfo
from fhub.serving.passwords import read_passfile
from fhub.settings import Paths

PROJECT = Path(__file__).resolve().parents[2]


def connect(info: ClusterInfo, role: str, **kwargs) -> psycopg.Connection:
    """A session as ``role`` over TCP with its generated password (the way an analyst's tool connects)."""
    return psycopg.connect(info.dsn(role), **kwargs)


def new_database(info: ClusterInfo, name: str) -> ClusterInfo:
    """A fresh database owned by the loader in the session's cluster (each test module loads its own)."""
    password = read_passfile(info.passfile)[SUPERUSER]
    with psycopg.connect(
        host=str(info.socket_dir),
        port=info.port,
        user=SUPERUSER,
        dbname="postgres",
        password=password,
        autocommit=True,
    ) as con:
        con.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        con.execute(
            sql.SQL("create database {} owner {}").format(sql.Identifier(name), sql.Identifier(info.loader))
        )
        con.execute(sql.SQL("revoke all on database {} from public").format(sql.Identifier(name)))
    return dataclasses.replace(info, database=name)


def _normal(value):
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def table_digest(rows: list[tuple]) -> tuple[int, str]:
    """Row count and an order-independent checksum of the rows' values."""
    lines = sorted(repr(tuple(_normal(v) for v in row)) for row in rows)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def duckdb_digests(published: Path) -> dict[str, tuple[list[str], int, str]]:
    """Every table of a published DuckDB file: columns, row count, checksum."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        out = {}
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by 1"
        ).fetchall():
            cursor = con.execute(f'select * from main."{name}"')
            columns = [d[0] for d in cursor.description]
            out[name] = (columns, *table_digest(cursor.fetchall()))
        return out
    finally:
        con.close()


def postgres_digest(con: psycopg.Connection, schema: str, table: str) -> tuple[list[str], int, str]:
    cursor = con.execute(sql.SQL("select * from {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
    columns = [d.name for d in cursor.description]
    return (columns, *table_digest(cursor.fetchall()))


@dataclass
class MartVersion:
    """A data folder holding a published mart, its work file and the dbt manifest (what a load reads)."""

    paths: Paths
    run_id: str
    indicator_rows: int
    restricted_rows: dict[str, int]  # borough code -> unsuppressed borough/hub rows


def _restricted_counts(work: Path) -> dict[str, int]:
    con = duckdb.connect(str(work), read_only=True)
    try:
        rows = con.execute(
            "select borough_code, count(*) from marts.fct_indicator_values_unsuppressed "
            "where geography_level in ('borough', 'hub') and not coalesce(is_published_statistic, false) "
            "and borough_code is not null group by 1"
        ).fetchall()
    finally:
        con.close()
    return {code: n for code, n in rows}


def mart_version(source: Path, target: Path, *, run_id: str | None = None) -> MartVersion:
    """Copy what a load reads from a pipeline data folder; with ``run_id``, make it a different night:
    the run id changes and the hub rows are gone (public and restricted), so versions are easy to tell apart."""
    paths = Paths(project=PROJECT, data=target)
    for rel in ("published/warehouse.duckdb", "work/warehouse.duckdb", "dbt-target/manifest.json"):
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, target / rel)
    if run_id:
        con = duckdb.connect(str(paths.published_db))
        con.execute("update main.run_manifest set run_id = ?", [run_id])
        con.execute("delete from main.indicator_values where geography_level = 'hub'")
        con.execute("checkpoint")
        con.close()
        con = duckdb.connect(str(paths.work_db))
        con.execute("update marts.fct_indicator_values_unsuppressed set run_id = ?", [run_id])
        con.execute("delete from marts.fct_indicator_values_unsuppressed where geography_level = 'hub'")
        con.execute("checkpoint")
        con.close()
    con = duckdb.connect(str(paths.published_db), read_only=True)
    run = con.execute("select run_id from main.run_manifest").fetchone()[0]
    indicator_rows = con.execute("select count(*) from main.indicator_values").fetchone()[0]
    con.close()
    return MartVersion(paths, run, indicator_rows, _restricted_counts(paths.work_db))
