"""The demo's deliveries arrive over many performance cycles, and one borough's EYFSP file misses a school
(issue 16, points 3 and 6)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from fhub.contracts import ELG_COLUMNS, GLD_ELGS
from fhub.dq.periods import financial_quarter, period_range
from fhub.landing.mapping import load_borough_mappings
from fhub.settings import PROJECT_DIR
from fhub_dev.demo import generate
from fhub_dev.demo.incomplete import INCOMPLETE_EYFSP
from tests.unit.test_demo import read_contract_rows


def _arrived(path) -> dt.datetime:
    return dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    return generate(out / "incoming", scale="tiny", seed=7, real_data_dir=None)


def test_deliveries_arrive_after_their_period_over_many_cycles(tiny):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cycles = set()
    for path in tiny.files:
        arrived = _arrived(path)
        _start, end = period_range(tiny.periods[path])
        assert dt.datetime.combine(end, dt.time()) <= arrived <= now, path.name
        cycles.add(financial_quarter(arrived))
    assert len(cycles) >= 2  # so dq_scorecard has a previous cycle to compare with
    late = [p for p in tiny.files if (_arrived(p).date() - period_range(tiny.periods[p])[1]).days > 21]
    assert 0 < len(late) < len(tiny.files) / 4  # some deliveries late, most on time


def _rows(path, slug):
    mapping = next(m for m in load_borough_mappings(PROJECT_DIR / "config" / "boroughs") if m.slug == slug)
    return read_contract_rows(path, mapping.spec_for("eyfsp"))[1]


def _gld(rows) -> float:
    complete = [r for r in rows if all(r[e] is not None for e in ELG_COLUMNS)]
    return sum(all(r[e] == "expected" for e in GLD_ELGS) for r in complete) / len(complete)


def test_one_borough_eyfsp_file_misses_a_school(tmp_path):
    [(slug, year)] = INCOMPLETE_EYFSP.items()
    summary = generate(tmp_path / "incoming", scale="demo", seed=42, boroughs=[slug, "hackney"])
    files = {(p.parent.name, summary.periods[p]): p for p in summary.files if "eyfsp" in p.name.lower()}
    incomplete = _rows(files[(slug, year)], slug)
    schools = {r["school_urn"] for r in incomplete}
    other_years = [_rows(p, slug) for (s, y), p in files.items() if s == slug and y != year]
    assert other_years and all({r["school_urn"] for r in rows} - schools for rows in other_years)  # one missing
    assert summary.left_out == {slug: {year: summary.left_out[slug][year]}} and summary.left_out[slug][year] > 20
    _achieved, calibrated_to = summary.gld[slug][year]
    assert calibrated_to - _gld(incomplete) > 0.03  # far outside a reconciliation tolerance of ~1 pp
    hackney = _rows(files[("hackney", year)], "hackney")
    assert abs(_gld(hackney) - summary.gld["hackney"][year][1]) < 0.01  # complete files stay calibrated
