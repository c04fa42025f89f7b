"""Issue 4's promise, checked where analysts look: the *published* ``indicator_values`` (the file the nightly
run swapped into place) carries DfE's GLD figure for every London borough, London and England, every year the
real files cover, to 0.1 percentage points; London and England come from summed counts."""

from __future__ import annotations

import duckdb
import pytest

from tests.real.test_reference_published import LONDON, _source_figures

METRIC = "gld_dfe_published"
BREAKDOWN = {
    "total": ("total", "total"),
    "eligible": ("fsm", "fsm_eligible"),
    "not_eligible": ("fsm", "not_fsm_eligible"),
}


@pytest.fixture(scope="module")
def published(baseline):
    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _values(con, level):
    rows = con.execute(
        "select geography_code, period, breakdown_type, breakdown_value, value, numerator, denominator "
        "from indicator_values where metric_id = ? and geography_level = ?",
        [METRIC, level],
    ).fetchall()
    return {
        (code, period, btype, bvalue): (value, num, den)
        for code, period, btype, bvalue, value, num, den in rows
    }


def test_every_london_borough_every_year_in_published_indicator_values(real_dir, published):
    figures = _source_figures(real_dir)
    got = _values(published, "borough")
    mismatches = []
    for (code, year, breakdown), expected in sorted(figures.items()):
        btype, bvalue = BREAKDOWN[breakdown]
        row = got.get((code, year, btype, bvalue))
        if row is None or row[0] is None or abs(row[0] - expected) > 0.1 + 1e-9:
            mismatches.append((LONDON[code]["borough_name"], year, breakdown, expected, row))
    assert len({(c, y) for c, y, b in figures if b == "total"}) == 33 * 11
    assert mismatches == []


@pytest.mark.parametrize(
    ("level", "code", "year", "numerator", "denominator", "value"),
    [
        ("region", "E12000007", "2018/19", 25364 + 49433, 34623 + 66375, 74.1),  # Inner + Outer London counts
        ("region", "E12000007", "2021/22", None, None, 67.8),
        ("country", "E92000001", "2021/22", 405723, 622583, 65.2),
        ("country", "E92000001", "2018/19", 458847, 638995, 71.8),
        ("country", "E92000001", "2024/25", None, None, 68.3),
    ],
)
def test_london_and_england_match_published_figures(
    published, level, code, year, numerator, denominator, value
):
    row = _values(published, level).get((code, year, "total", "total"))
    assert row is not None, f"no {level} row for {year}"
    assert abs(row[0] - value) <= 0.1 + 1e-9
    if numerator is not None:
        assert (row[1], row[2]) == (numerator, denominator)
        assert abs(100 * row[1] / row[2] - value) <= 0.05 + 1e-9


def test_no_published_values_for_the_years_without_a_collection(published):
    years = {
        r[0]
        for r in published.execute(
            "select distinct period from indicator_values where metric_id = ?", [METRIC]
        ).fetchall()
    }
    assert {"2019/20", "2020/21"}.isdisjoint(years)
    assert {"2012/13", "2018/19", "2021/22", "2024/25"} <= years
