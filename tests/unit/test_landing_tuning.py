"""Landing's tuning knobs (fhub.settings.LandingTuning) are resolved once at the entry point and carried by the
run context into landing - never read from the process environment by landing itself (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

import fhub.landing.engine as engine
import fhub.landing.land as land
from fhub.landing import land_all
from fhub.runinfo import resolve_run_context
from fhub.settings import PROJECT_DIR, LandingTuning, Paths
from tests.badinput.fixtures import KEY, TODAY, csv_text, good_row, setup

ENV = {
    "FHUB_LANDING_GROUP_BYTES": "1",
    "FHUB_LANDING_PREPARE_THREADS": "1",
    "FHUB_XLSX_FAST_MAX_BYTES": "0",
    "FHUB_LANDING_RAISE": "1",
}


def test_resolve_reads_the_knobs_and_keeps_the_defaults():
    assert LandingTuning.resolve(ENV) == LandingTuning(1, 1, 0, True)
    assert LandingTuning.resolve({"FHUB_LANDING_GROUP_BYTES": ""}) == LandingTuning()
    assert LandingTuning() == LandingTuning(256 * 1024 * 1024, 2, 64 * 1024 * 1024, False)


def test_the_run_context_carries_them_and_prefect_never_sees_them(tmp_path):
    ctx = resolve_run_context(ENV, paths=Paths(project=PROJECT_DIR, data=tmp_path), run_id="r1", use_prefect=False)
    assert ctx.landing == LandingTuning(1, 1, 0, True)
    assert "landing" not in ctx.model_dump()  # a subflow parameter stores the run's identity only


def _three_files(tmp_path: Path):
    paths, config = setup(tmp_path)
    for month in ("01", "02", "03"):
        rows = [good_row(i, int(month)) for i in range(1, 4)]
        (paths.incoming / "hackney" / f"hackney_contacts_2024-{month}.csv").write_text(csv_text(rows), "utf-8")
    return paths, dict(config_dir=config, key_label="demo", hubs_csv=tmp_path / "hubs.csv", today=TODAY)


def test_group_bytes_bounds_the_files_landed_in_one_pass(tmp_path, monkeypatch):
    passes = []
    real = land.land_group

    def counting(con, rc, items):
        passes.append(len(items))
        return real(con, rc, items)

    monkeypatch.setattr(land, "land_group", counting)
    monkeypatch.setenv("FHUB_LANDING_GROUP_BYTES", "1")  # the process environment is not landing's business
    paths, kw = _three_files(tmp_path / "default")
    assert len(land_all(paths, "r1", KEY, **kw).landed) == 3
    assert passes == [3]  # the default: one pass for the three small files
    passes.clear()
    paths, kw = _three_files(tmp_path / "tuned")
    assert len(land_all(paths, "r1", KEY, tuning=LandingTuning(group_bytes=1), **kw).landed) == 3
    assert passes == [1, 1, 1]  # each file over the limit: landed alone


def test_raise_errors_shows_the_traceback_instead_of_a_quarantine(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("internal")

    monkeypatch.setattr(engine, "_land_group", broken)
    monkeypatch.setenv("FHUB_LANDING_RAISE", "1")  # read at the entry point only, so no effect here
    paths, kw = _three_files(tmp_path / "quarantine")
    result = land_all(paths, "r1", KEY, **kw)
    assert {d.status for d in result.deliveries} == {"quarantined"}
    paths, kw = _three_files(tmp_path / "raise")
    with pytest.raises(RuntimeError, match="internal"):
        land_all(paths, "r1", KEY, tuning=LandingTuning(raise_errors=True), **kw)
