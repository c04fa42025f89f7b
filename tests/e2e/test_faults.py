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
from tests.conftest import release_held
from tests.e2e.harness import copy_state, fhub, leftovers, snapshot

pytestmark = pytest.mark.e2e


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: History tables legitimately record killed attempts (their check results); everything else must match.
RUN_HISTORY_TABLES = ("main.run_manifest", "main.dq_check_results", "main.dq_scorecard", "main.dq_revisions")


def _public_picture(data):
    picture = snapshot(data / "published" / "warehouse.duckdb")
    for table in RUN_HISTORY_TABLES:
        picture.pop(table, None)
    return picture


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


#: One kill in each stage; in publish, the most dangerous moment: the new file copied beside the published one,
#: not yet swapped in (``publish.assembled`` is also available for a manual run).
KILL_CHAIN = ("land.mid", "transform.mid", "validate.mid", "publish.copied")


def _run_with_readers(data, prefect_server):
    """Run the nightly while two reader processes open, query and close the published file in a loop."""
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
    found = []
    while not errors.empty():
        found.append(errors.get())
    return result, found, opens.value


def test_kill_9_at_every_stage_then_recover(baseline, prefect_server, tmp_path):
    """One borough's new delivery arrives; the nightly is killed (SIGKILL) during landing, then during the
    dbt build, validation and publish — each killed run starting from the state the previous
    one left. After every kill the published file is byte-identical and readable; the next clean run ends
    exactly where an uninterrupted run from the same start ends."""
    assert set(KILL_CHAIN) <= set(POINTS)
    start = copy_state(baseline["data"], tmp_path / "start")
    release_held(baseline["root"], start)

    reference = copy_state(start, tmp_path / "reference")
    before_reference = _public_picture(reference)["main.indicator_values"]
    clean, reader_errors, opens = _run_with_readers(reference, prefect_server)
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    # readers that held the published file open during that publish never saw a partial state or an error
    assert opens > 10 and reader_errors == []
    assert _public_picture(reference)["main.indicator_values"] != before_reference, (
        "new delivery not published"
    )

    data = copy_state(start, tmp_path / "data")
    published = data / "published" / "warehouse.duckdb"
    before = _sha(published)
    current_exports = data / "published" / "exports" / "current"
    exports_before = current_exports.resolve()
    for point in KILL_CHAIN:
        killed = fhub(data, "run", "--no-reports", server=prefect_server, env={"FHUB_FAULT_AT": point})
        assert killed.returncode == -signal.SIGKILL, (
            f"{point}: the run was not killed there\n{killed.stdout[-2000:]}{killed.stderr[-2000:]}"
        )
        assert _sha(published) == before, f"{point}: a killed run changed the published file"
        assert current_exports.resolve() == exports_before, f"{point}: exports/current left the published file"
        con = duckdb.connect(str(published), read_only=True)
        assert con.execute("select count(*) from indicator_values").fetchone()[0] > 0
        con.close()

    recovered = fhub(data, "run", "--no-reports", server=prefect_server)
    assert recovered.returncode == 0, recovered.stdout[-3000:] + recovered.stderr[-3000:]
    assert leftovers(data) == []
    assert _public_picture(data) == _public_picture(reference)
