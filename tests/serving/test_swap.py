"""The swap: readers during repeated loads see one whole mart, old or new; a loader killed with SIGKILL
midway leaves the previous mart serving and nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from fhub.serving.config import ServingConfig
from tests.serving.helpers import PROJECT, MartVersion, connect, duckdb_digests, new_database, postgres_digest

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]

#: One statement touching both schemas' tables and the version marker: a mixed mart shows up as a tuple
#: that belongs to no single version.
READ = (
    "select (select run_id from mart.load_info), (select count(*) from mart.indicator_values), "
    "(select count(*) from mart.indicator_values where geography_level = 'hub'), "
    "(select count(*) from restricted.indicator_values)"
)
READ_ANALYST = "select (select run_id from load_info), (select count(*) from indicator_values), " + (
    "(select count(*) from indicator_values where geography_level = 'hub'), 0"
)


def _expected(version: MartVersion, borough_code: str | None) -> tuple:
    digest = duckdb_digests(version.paths.published_db)["indicator_values"]
    con = duckdb.connect(str(version.paths.published_db), read_only=True)
    hubs = con.execute("select count(*) from indicator_values where geography_level = 'hub'").fetchone()[0]
    con.close()
    restricted = version.restricted_rows.get(borough_code, 0) if borough_code else 0
    return (version.run_id, digest[1], hubs, restricted)


def _reader(db, role: str, query: str, stop: threading.Event, seen: list, errors: list) -> None:
    try:
        with connect(db, role, autocommit=True) as con:
            while not stop.is_set():
                seen.append(tuple(con.execute(query).fetchone()))
    except Exception as exc:  # noqa: BLE001 - the test asserts there were none
        errors.append(repr(exc))


def test_readers_during_repeated_swaps_see_one_whole_mart(pg_cluster, mart_a, mart_b, load, serving_config):
    _, info = pg_cluster
    db = new_database(info, "fhub_swap")
    load(db, mart_a)
    boroughs = {b.borough_code: b.role for b in serving_config.borough_roles(mart_a.paths.borough_config)}
    code = sorted(c for c in mart_a.restricted_rows if c in boroughs)[0]
    valid_borough = {_expected(mart_a, code), _expected(mart_b, code)}
    valid_analyst = {_expected(mart_a, None), _expected(mart_b, None)}
    assert len(valid_borough) == 2 and len(valid_analyst) == 2

    stop = threading.Event()
    seen_borough: list = []
    seen_analyst: list = []
    errors: list = []
    readers = [
        threading.Thread(target=_reader, args=(db, boroughs[code], READ, stop, seen_borough, errors)),
        threading.Thread(target=_reader, args=(db, boroughs[code], READ, stop, seen_borough, errors)),
        threading.Thread(
            target=_reader, args=(db, serving_config.analyst_role, READ_ANALYST, stop, seen_analyst, errors)
        ),
    ]
    for thread in readers:
        thread.start()
    try:
        for version in (mart_b, mart_a, mart_b, mart_a, mart_b):
            assert load(db, version).run_id == version.run_id
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=30)
    assert not errors, errors
    assert seen_borough and seen_analyst
    assert set(seen_borough) <= valid_borough, set(seen_borough) - valid_borough
    assert set(seen_analyst) <= valid_analyst, set(seen_analyst) - valid_analyst
    assert set(seen_borough) == valid_borough, "readers should have seen both versions while loads ran"
    assert seen_borough[-1] == _expected(mart_b, code)


def _leftovers(db, config: ServingConfig) -> list[str]:
    with connect(db, config.loader) as con:
        return [
            r[0]
            for r in con.execute(
                "select nspname from pg_namespace where nspname = any(%s)",
                [[*config.incoming_schemas, *config.retired_schemas]],
            ).fetchall()
        ]


def _loader_sessions(db) -> int:
    with connect(db, db.loader) as con:
        return con.execute(
            "select count(*) from pg_stat_activity where pid <> pg_backend_pid() "
            "and application_name in ('fhub-serving-load', 'fhub-serving-swap')"
        ).fetchone()[0]


def _loader_waiting_for_a_lock(db) -> bool:
    with connect(db, db.loader) as con:
        return bool(
            con.execute(
                "select count(*) from pg_stat_activity where application_name in ('fhub-serving-load', 'fhub-serving-swap') "
                "and wait_event_type = 'Lock'"
            ).fetchone()[0]
        )


def _publish_subprocess(db, version: MartVersion, fault: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FHUB_FAULT_AT"}
    env.update({"FHUB_DATA_DIR": str(version.paths.data), "FHUB_POSTGRES_DSN": db.dsn(db.loader)})
    if fault:
        env["FHUB_FAULT_AT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "fhub", "postgres", "publish"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_loader_killed_midway_leaves_the_previous_mart_serving(
    pg_cluster, mart_a, mart_b, load, serving_config
):
    """SIGKILL (FHUB_FAULT_AT) after the first table was copied, then again with the old mart locked and the
    schemas renamed but not committed: both times yesterday's mart keeps serving, whole, nothing is left."""
    _, info = pg_cluster
    db = new_database(info, "fhub_kill")
    load(db, mart_a)
    before = duckdb_digests(mart_a.paths.published_db)["indicator_values"]

    for fault in ("serving.copied", "serving.swapping"):
        killed = _publish_subprocess(db, mart_b, fault)
        assert killed.returncode == -9, fault + killed.stdout[-2000:] + killed.stderr[-2000:]
        deadline = time.monotonic() + 30  # the server notices the dead client and rolls its transaction back
        while _loader_sessions(db) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _loader_sessions(db) == 0, fault
        with connect(db, serving_config.analyst_role) as con:
            assert con.execute("select run_id from load_info").fetchone()[0] == mart_a.run_id, fault
            assert postgres_digest(con, serving_config.mart_schema, "indicator_values") == before, fault
        assert _leftovers(db, serving_config) == [], fault

    # the next load goes through as usual (the production path: FHUB_POSTGRES_DSN, `fhub postgres publish`)
    done = _publish_subprocess(db, mart_b, None)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with connect(db, serving_config.analyst_role) as con:
        assert con.execute("select run_id from load_info").fetchone()[0] == mart_b.run_id
        assert (
            postgres_digest(con, serving_config.mart_schema, "indicator_values")
            == duckdb_digests(mart_b.paths.published_db)["indicator_values"]
        )


def test_a_reader_holding_the_old_mart_delays_the_swap_and_never_errors(
    pg_cluster, mart_a, mart_b, load, serving_config
):
    """A reader in the middle of a transaction on the old mart keeps it until it ends; the swap retries
    meanwhile (with short lock waits) and goes through once the reader is done."""
    _, info = pg_cluster
    db = new_database(info, "fhub_hold")
    load(db, mart_a)
    with connect(db, serving_config.analyst_role) as reader:
        assert (
            reader.execute("select run_id from load_info").fetchone()[0] == mart_a.run_id
        )  # transaction open
        outcome: dict = {}
        loader = threading.Thread(target=lambda: outcome.setdefault("result", load(db, mart_b)))
        loader.start()
        deadline = time.monotonic() + 120
        while not _loader_waiting_for_a_lock(db) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(1.5)  # several attempts of at most lock_timeout_ms each
        assert loader.is_alive(), "the swap must wait for the reader's transaction"
        # the reader's transaction still sees the old mart, whole
        assert reader.execute("select run_id from load_info").fetchone()[0] == mart_a.run_id
        assert reader.execute("select count(*) from indicator_values").fetchone()[0] == mart_a.indicator_rows
        reader.commit()
        loader.join(timeout=60)
    assert outcome["result"].swap_attempts > 1
    with connect(db, serving_config.analyst_role) as con:
        assert con.execute("select run_id from load_info").fetchone()[0] == mart_b.run_id
