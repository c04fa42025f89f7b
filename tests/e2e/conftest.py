"""A baseline: tiny demo extracts, one full nightly run. Other e2e tests copy this state instead of
re-running from nothing (each run costs dbt + GX start-up)."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.harness import fhub, generate

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def baseline(tmp_path_factory, prefect_server):
    """State after one successful nightly run over tiny demo data, with one borough's latest delivery
    held back in ``held/`` so later tests have new files to land."""
    root = tmp_path_factory.mktemp("baseline")
    data = root / "data"
    generate(data / "incoming", scale="tiny")
    # hold back one borough's EYFSP file for the newest year: a "new delivery" for later runs
    held = root / "held"
    held.mkdir()
    eyfsp = sorted(p for p in (data / "incoming").rglob("*") if p.is_file() and "eyfsp" in p.name.lower())
    assert eyfsp, "the demo generator wrote no EYFSP files"
    newest = eyfsp[-1]
    (held / newest.parent.name).mkdir()
    shutil.move(newest, held / newest.parent.name / newest.name)
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return {"root": root, "data": data, "held": held, "log": result.stdout + result.stderr}


def release_held(state_root, data):
    held = state_root / "held"
    for folder in held.iterdir():
        target = data / "incoming" / folder.name
        for f in folder.iterdir():
            shutil.copy2(f, target / f.name)
