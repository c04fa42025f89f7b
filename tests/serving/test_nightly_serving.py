"""The nightly flow serves what it publishes; a load that fails is a data-quality error, not a failed night."""

from __future__ import annotations

import duckdb
import pytest

from fhub.serving.cluster import free_port
from fhub.serving.passwords import ensure_passwords
from fhub.serving.serve import CHECK_NAME, ServingTarget, serve_published_mart
from tests.e2e.harness import copy_state, fhub
from tests.serving.helpers import connect, mart_version, new_database

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]


def _serving_checks(work_db, run_id: str) -> list[tuple]:
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        return con.execute(
            "select check_name, status, severity, dimension, message, fix from dq.check_results "
            "where run_id = ? and source = 'serving'",
            [run_id],
        ).fetchall()
    finally:
        con.close()


def test_a_night_that_publishes_serves_the_mart(
    baseline, prefect_server, pg_cluster, tmp_path, serving_config
):
    _, info = pg_cluster
    db = new_database(info, "fhub_nightly")
    data = copy_state(baseline["data"], tmp_path / "data")
    # production: the reader's password comes from the environment (FHUB_PG_PASSWORD_<ROLE>); the analyst's
    # client reads the same password from the cluster's generated password file
    analyst = serving_config.analyst_role
    password = ensure_passwords(info.passfile, [analyst])[analyst]
    env = {"FHUB_POSTGRES_DSN": db.dsn(db.loader), f"FHUB_PG_PASSWORD_{analyst.upper()}": password}
    result = fhub(data, "run", "--no-reports", server=prefect_server, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    con = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    run_id, published_rows = con.execute(
        "select (select run_id from run_manifest), (select count(*) from indicator_values)"
    ).fetchone()
    con.close()
    with connect(db, serving_config.analyst_role) as pg:
        assert pg.execute("select run_id from load_info").fetchone()[0] == run_id
        assert pg.execute("select count(*) from indicator_values").fetchone()[0] == published_rows
    summary = (data / "reports" / "run-summary.md").read_text()
    assert "serving database (PostgreSQL, FHUB_POSTGRES_DSN): served run " + run_id in summary
    checks = _serving_checks(data / "work" / "warehouse.duckdb", run_id)
    assert [(c[0], c[1]) for c in checks] == [(CHECK_NAME, "pass")]


def test_a_failed_load_is_a_dq_error_and_yesterdays_mart_keeps_serving(
    pg_cluster, mart_a, mart_b, load, tmp_path, serving_config
):
    cluster, info = pg_cluster
    db = new_database(info, "fhub_failed")
    load(db, mart_a)
    tonight = mart_version(mart_b.paths.data, tmp_path / "tonight")

    # nobody listening at all
    unreachable = ServingTarget(dsn=f"postgresql://fh_loader@127.0.0.1:{free_port()}/fhub?connect_timeout=5")
    outcome = serve_published_mart(tonight.paths, tonight.run_id, unreachable)
    assert not outcome.ok and "could not connect" in outcome.reason

    # a login that may not load (a reader's): refused inside the database
    reader = ServingTarget(dsn=db.dsn(serving_config.analyst_role), local=cluster)
    outcome = serve_published_mart(tonight.paths, tonight.run_id, reader)
    assert not outcome.ok and "the login used to load is read-only" in outcome.reason

    with connect(db, serving_config.analyst_role) as pg:
        assert pg.execute("select run_id from load_info").fetchone()[0] == mart_a.run_id
    [(name, status, severity, dimension, message, fix)] = _serving_checks(
        tonight.paths.work_db, tonight.run_id
    )
    assert (name, status, severity, dimension) == (CHECK_NAME, "fail", "warn", "timeliness")
    assert message.startswith(
        "The serving database (PostgreSQL) was NOT updated tonight: the login used to load is read-only"
    )
    assert "fhub postgres publish" in fix
    assert "cannot execute" not in message  # a template, never the server's own words
