"""Shared fixtures. Heavy machinery (a Prefect server) is started once per session, only if e2e tests run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
REAL_DATA = PROJECT.parent / "shared" / "data" / "real"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One local Prefect API server for the whole session (the temporary server costs 10–20 s per process)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:  # noqa: S310 - loopback only
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise RuntimeError(f"Prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
    else:
        proc.kill()
        raise RuntimeError("Prefect server did not become healthy in 120 s")
    yield {"PREFECT_API_URL": url, "PREFECT_HOME": str(home)}
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    if not REAL_DATA.exists():
        pytest.skip("../shared/data/real is not present")
    return REAL_DATA


@pytest.fixture(scope="session")
def baseline(tmp_path_factory, prefect_server):
    """State after one successful nightly run (through Prefect) over tiny demo data plus the real published
    files, with one borough's newest EYFSP delivery held back in ``held/`` so later tests have a new file to
    land, and a copy of everything delivered in ``sent/`` (the nightly removes landed files from incoming/).
    Tests copy this state rather than re-running from nothing."""
    from tests.e2e.harness import fhub, generate

    root = tmp_path_factory.mktemp("baseline")
    data = root / "data"
    generate(data / "incoming", scale="tiny")
    held = root / "held"
    held.mkdir()
    eyfsp = sorted(p for p in (data / "incoming").rglob("*") if p.is_file() and "eyfsp" in p.name.lower())
    assert eyfsp, "the demo generator wrote no EYFSP files"
    newest = eyfsp[-1]
    (held / newest.parent.name).mkdir()
    shutil.move(newest, held / newest.parent.name / newest.name)
    sent = root / "sent"
    shutil.copytree(data / "incoming", sent)
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return {"root": root, "data": data, "held": held, "sent": sent, "log": result.stdout + result.stderr}


def release_held(state_root, data):
    """Deliver the held-back files into ``data/incoming``."""
    for folder in (state_root / "held").iterdir():
        target = data / "incoming" / folder.name
        for f in folder.iterdir():
            shutil.copy2(f, target / f.name)


@pytest.fixture(scope="session")
def dbt_target(tmp_path_factory) -> Path:
    """A dbt target folder holding this project's ``manifest.json`` (one ``dbt parse`` per session): the publish
    contract and the project's structure are read from it."""
    from fhub.dbt.runner import run_dbt
    from fhub.settings import Paths

    paths = Paths(project=PROJECT, data=tmp_path_factory.mktemp("dbt-parse"))
    outcome = run_dbt(paths, "parse")
    assert outcome.success, outcome.failures
    return paths.dbt_target


@pytest.fixture(scope="session")
def withholding_plan(dbt_target):
    """The withholding plan the publish contract declares (fhub.dq.withhold.withholding_plan)."""
    from fhub.dbt.contract import public_relations
    from fhub.dq import withholding_plan as plan_of

    return plan_of(public_relations(dbt_target))
