"""``fhub postgres up / status / dsn / publish / down``: a real local cluster from the command line."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from fhub.serving.cluster import LocalCluster
from fhub.serving.serve import resolve_target
from fhub.settings import Paths
from tests.serving.helpers import PROJECT

pytestmark = pytest.mark.postgres


def fhub(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FHUB_POSTGRES_DSN", "FHUB_FAULT_AT")}
    env["FHUB_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "fhub", "postgres", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def data_dir():
    root = Path(tempfile.mkdtemp(prefix="fhub-pgcli-"))
    yield root / "data"
    LocalCluster(root / "data" / "postgres").stop()
    shutil.rmtree(root, ignore_errors=True)


def test_up_prints_a_working_dsn_last_reuses_the_cluster_and_down_stops_it(data_dir):
    up = fhub(data_dir, "up")
    assert up.returncode == 0, up.stdout + up.stderr
    dsn = up.stdout.strip().splitlines()[-1]
    assert dsn.startswith("postgresql://fh_loader@127.0.0.1:") and "passfile=" in dsn
    assert "password" not in dsn.split("?")[0]
    folder = data_dir / "postgres"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "pgpass").stat().st_mode) == 0o600
    assert any(p.name.startswith(".s.PGSQL.") for p in folder.iterdir()), "unix socket in the folder"
    if os.geteuid() == 0:
        import pwd

        assert pwd.getpwuid((folder / "pgdata").stat().st_uid).pw_name == "postgres"

    with psycopg.connect(dsn) as con:  # the loader over TCP, password from the generated file
        assert con.execute("select current_user, current_database()").fetchone() == ("fh_loader", "fhub")
        assert con.execute("show server_version_num").fetchone()[0].startswith("15")
    socket_dsn = fhub(data_dir, "dsn", "--role", "fh_analyst", "--socket").stdout.strip()
    with psycopg.connect(socket_dsn) as con:  # readers exist as soon as the cluster is up
        assert con.execute("select current_user").fetchone()[0] == "fh_analyst"
        assert con.execute("show default_transaction_read_only").fetchone()[0] == "on"

    again = fhub(data_dir, "up")
    assert again.returncode == 0 and "already running" in again.stdout
    assert again.stdout.strip().splitlines()[-1] == dsn

    status = fhub(data_dir, "status")
    assert status.returncode == 0 and "no mart loaded yet" in status.stdout
    nothing = fhub(data_dir, "publish")
    assert nothing.returncode == 1 and "no published mart yet" in nothing.stderr
    assert "Traceback" not in nothing.stderr

    paths = Paths(project=PROJECT, data=data_dir)
    assert resolve_target(paths, env_dsn=None) is not None  # the nightly would load into it

    down = fhub(data_dir, "down")
    assert down.returncode == 0 and "stopped" in down.stdout
    assert not LocalCluster(folder).is_running()
    assert resolve_target(paths, env_dsn=None) is None  # serving not configured: the nightly skips it
    assert fhub(data_dir, "dsn").returncode == 2

    restarted = fhub(data_dir, "up")  # same port again, so the DSN analysts saved still works
    assert restarted.returncode == 0 and "started" in restarted.stdout
    assert restarted.stdout.strip().splitlines()[-1] == dsn


def test_publish_without_a_serving_database_says_what_to_do(data_dir):
    result = fhub(data_dir, "publish")
    assert result.returncode == 2
    assert "fhub postgres up" in result.stderr and "FHUB_POSTGRES_DSN" in result.stderr
