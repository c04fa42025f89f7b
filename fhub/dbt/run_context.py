"""The run context as data: which run a dbt invocation builds for, in a one-row table of the work file.

The marts stamp their rows with the night's run id (``{{ fhub_run_id() }}``, macros/run_context.sql, reading
``stg_run__run_context`` over the source ``run.run_context``). The run id used to reach dbt as
``env_var('FHUB_RUN_ID')``, set in the process environment for each invocation; a ``--vars`` value instead would
make dbt re-parse the whole project every night (tests/unit/test_dbt_partial_parse.py). As data, a new run id
changes no file dbt parses: nothing is re-parsed for it.

The row lasts one invocation, like the environment variable it replaces: :func:`run_context_for` writes it before
:func:`fhub.dbt.runner.run_dbt` invokes dbt and empties the table afterwards. A bare ``dbt build`` (an analyst,
outside the pipeline) finds the table empty - or creates it, the ``on-run-start`` hook of dbt_project.yml - and
stamps ``'dev'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

SCHEMA = "run"
TABLE = "run_context"
#: = macros/run_context.sql ``ensure_run_context`` (the on-run-start hook of a bare ``dbt build``).
DDL = (
    f"create schema if not exists {SCHEMA}; "
    f"create table if not exists {SCHEMA}.{TABLE} "
    "(run_id varchar not null, dbt_command varchar, started_at timestamp with time zone)"
)


def record_run_context(work_db: Path, run_id: str | None, command: str = "") -> None:
    """The table holds ``run_id`` (one row), or nothing when ``run_id`` is None (the marts stamp ``'dev'``)."""
    con = duckdb.connect(str(work_db))
    try:
        con.execute(DDL)
        con.execute("begin")
        con.execute(f"delete from {SCHEMA}.{TABLE}")
        if run_id:
            con.execute(
                f"insert into {SCHEMA}.{TABLE} values (?, ?, ?)", [run_id, command, dt.datetime.now(dt.UTC)]
            )
        con.execute("commit")
    finally:
        con.close()


def recorded_run_id(work_db: Path) -> str | None:
    """The run id the next invocation builds for (None: the table is empty or missing)."""
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [SCHEMA, TABLE]
        ).fetchone()[0]
        row = con.execute(f"select run_id from {SCHEMA}.{TABLE}").fetchone() if exists else None
    finally:
        con.close()
    return row[0] if row else None


@contextmanager
def run_context_for(work_db: Path, run_id: str | None, command: str = "") -> Iterator[None]:
    """``run_id`` in the work file for the duration of one dbt invocation, then the table empty again: a run's
    identity does not outlive its invocation."""
    work_db.parent.mkdir(parents=True, exist_ok=True)
    record_run_context(work_db, run_id, command)
    try:
        yield
    finally:
        record_run_context(work_db, None)
