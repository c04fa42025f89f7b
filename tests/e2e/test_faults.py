"""kill -9 at every stage: the published file is untouched, nothing partial survives the next run, and
the next run ends exactly where an uninterrupted run ends. Readers never see a partial file."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import signal
import time

import duckdb
import pytest

from fhub.faults import POINTS
from tests.e2e.conftest import release_held
from tests.e2e.harness import copy_state, fhub, leftovers, snapshot

pytestmark = pytest.mark.e2e


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _public_picture(data):
    picture = snapshot(data / "published" / "warehouse.duckdb")
    picture.pop("main.run_manifest", None)
    return picture


@pytest.fixture(scope="module")
def uninterrupted(baseline, prefect_server, tmp_path_factory):
    data = copy_state(baseline["data"], tmp_path_factory.mktemp("uninterrupted") / "data")
    release_held(baseline["root"], data)
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return _public_picture(data)


@pytest.mark.parametrize("point", POINTS)
def test_kill_9_then_recover(point, baseline, uninterrupted, prefect_server, tmp_path):
    data = copy_state(baseline["data"], tmp_path / "data")
    release_held(baseline["root"], data)
    published = data / "published" / "warehouse.duckdb"
    before = _sha(published)

    killed = fhub(data, "run", "--no-reports", server=prefect_server, env={"FHUB_FAULT_AT": point})
    assert killed.returncode == -signal.SIGKILL, (
        f"{point}: not killed\n{killed.stdout[-2000:]}{killed.stderr[-2000:]}"
    )
    assert _sha(published) == before, f"{point}: published file changed by a killed run"
    duckdb.connect(str(published), read_only=True).execute("select count(*) from indicator_values").fetchone()

    recovered = fhub(data, "run", "--no-reports", server=prefect_server)
    assert recovered.returncode == 0, recovered.stdout[-3000:] + recovered.stderr[-3000:]
    assert leftovers(data) == []
    assert _public_picture(data) == uninterrupted, f"{point}: recovery differs from an uninterrupted run"


def _reader(path: str, stop, errors, opens) -> None:
    while not stop.is_set():
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                n = con.execute("select count(*) from indicator_values").fetchone()[0]
                if n == 0:
                    errors.put("empty indicator_values seen")
            finally:
                con.close()
            with opens.get_lock():
                opens.value += 1
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            errors.put(repr(exc))
        time.sleep(0.01)


def test_readers_never_see_a_partial_publish(baseline, prefect_server, tmp_path):
    data = copy_state(baseline["data"], tmp_path / "data")
    release_held(baseline["root"], data)
    ctx = mp.get_context("spawn")
    stop, errors, opens = ctx.Event(), ctx.Queue(), ctx.Value("i", 0)
    readers = [
        ctx.Process(target=_reader, args=(str(data / "published" / "warehouse.duckdb"), stop, errors, opens))
        for _ in range(2)
    ]
    for r in readers:
        r.start()
    try:
        result = fhub(data, "run", "--no-reports", server=prefect_server)
    finally:
        stop.set()
        for r in readers:
            r.join(timeout=30)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert opens.value > 10
    assert found == []
