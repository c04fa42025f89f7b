"""The run context as data (fhub/dbt/run_context.py): the marts' run id is one row of the work file, written
for one dbt invocation; a bare ``dbt build`` (no row, or no table) stamps 'dev'."""

from __future__ import annotations

import duckdb

from fhub.dbt.run_context import record_run_context, recorded_run_id, run_context_for
from fhub.dbt.runner import dbt_env, dbt_environment, release_duckdb_handles
from fhub.settings import PROJECT_DIR, Paths


def test_the_row_lasts_one_invocation_and_replaces_a_stale_one(tmp_path):
    work_db = tmp_path / "work" / "warehouse.duckdb"
    work_db.parent.mkdir()
    record_run_context(work_db, "crashed-night")  # left behind by a process that died mid-invocation
    with run_context_for(work_db, "night-7", "build"):
        assert recorded_run_id(work_db) == "night-7"
        con = duckdb.connect(str(work_db), read_only=True)
        assert con.execute("select count(*), any_value(dbt_command) from run.run_context").fetchone() == (
            1,
            "build",
        )
        con.close()
    assert recorded_run_id(work_db) is None
    with run_context_for(work_db, None):
        assert recorded_run_id(work_db) is None  # no run id: 'dev', never the previous night's


def _show_run_id(paths: Paths) -> str:
    from dbt.cli.main import dbtRunner

    cli = [
        "--quiet",
        "show",
        "--inline",
        "select {{ fhub_run_id() }} as run_id",
        "--output",
        "json",
        "--project-dir",
        str(paths.project),
        "--profiles-dir",
        str(paths.project / "profiles"),
        "--target-path",
        str(paths.dbt_target),
        "--log-path",
        str(paths.data / "logs"),
    ]
    with dbt_environment(dbt_env(paths)):
        try:
            result = dbtRunner().invoke(cli)
        finally:
            release_duckdb_handles()
    assert result.success, result.exception
    return result.result.results[0].agate_table.rows[0][0]


def test_the_marts_macro_reads_the_run_id_from_the_work_file(tmp_path):
    from fhub.dbt.runner import run_dbt

    paths = Paths(project=PROJECT_DIR, data=tmp_path / "data")
    # a work file nobody prepared: the on-run-start hook creates the (empty) table; the staging view over it
    assert run_dbt(paths, "run", args=["--select", "stg_run__run_context"]).success
    assert _show_run_id(paths) == "dev"  # a bare dbt invocation by an analyst
    with run_context_for(paths.work_db, "20261204T020000Z-abc123", "show"):
        assert _show_run_id(paths) == "20261204T020000Z-abc123"
    assert _show_run_id(paths) == "dev"
