"""Vintages you can query (issue 16, points 6 and 7), end to end on the demo: the manifest names every input
file by hash, revisions are published the night they happen."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from tests.conftest import release_held
from tests.e2e.harness import copy_state, fhub

pytestmark = pytest.mark.e2e


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newest_manifest_names_every_landed_input_by_hash(baseline):
    data = baseline["data"]
    manifest = json.loads((data / "published" / "manifests" / "latest.json").read_text())
    inputs = manifest["inputs"]
    listed = {f["sha256"]: f for f in inputs["borough_deliveries"]}
    sent = [p for p in baseline["sent"].rglob("*") if p.is_file()]
    assert sent and {_sha(p) for p in sent} <= set(listed)
    for path in sent:
        entry = listed[_sha(path)]
        assert entry["size_bytes"] == path.stat().st_size
        assert entry["borough_code"].startswith("E09") and entry["extract"] and entry["period"]
        assert path.name not in json.dumps(manifest)  # named by label, never by the delivered file name
    assert inputs["reference_files"] and all(len(f["sha256"]) == 64 for f in inputs["reference_files"])
    assert manifest["code_version"] == inputs["code_version"] and inputs["code_version"].startswith("git-")


def _published_run(con) -> str:
    return con.execute("select run_id from run_manifest").fetchone()[0]


def test_revisions_are_published_the_night_they_happen(baseline, prefect_server, tmp_path):
    """Night 2 lands one borough's newest EYFSP file: London's figures for that year change, and the file
    published that same night already says so in dq_revisions, naming the delivery that caused it."""
    data = copy_state(baseline["data"], tmp_path / "data")
    con = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    night1 = _published_run(con)
    assert con.execute("select count(*) from dq_revisions").fetchone()[0] == 0  # nothing to compare with yet
    con.close()
    release_held(baseline["root"], data)
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    con = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    try:
        night2 = _published_run(con)
        revised = con.execute(
            "select previous_run_id, geography_level, revision_kind, causing_deliveries from dq_revisions "
            "where run_id = ?", [night2]).fetchall()
    finally:
        con.close()
    assert night2 != night1 and revised, "tonight's revisions are missing from tonight's published file"
    assert {r[0] for r in revised} == {night1}
    assert "participating_boroughs" in {r[1] for r in revised}  # the participating boroughs' sum moved
    held = next(p for p in baseline["held"].rglob("*") if p.is_file())
    labels = " ".join(r[3] or "" for r in revised)
    assert " eyfsp " in labels and held.name not in labels


def test_published_history_holds_tonights_figures_in_tonights_cycle(baseline):
    from fhub.release.cycles import load_calendar
    from tests.e2e.harness import PROJECT

    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        figures = con.execute("select count(*) from indicator_values").fetchone()[0]
        history = con.execute("select cycle, run_id, count(*), bool_and(is_current_cycle) from published_history "
                              "group by all").fetchall()
        night = _published_run(con)
    finally:
        con.close()
    import datetime as dt

    cycle = load_calendar(project_dir=PROJECT).cycle_of(dt.datetime.now(dt.UTC)).name
    assert history == [(cycle, night, figures, True)]
