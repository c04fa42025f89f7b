"""The statistics macros in macros/stats, checked against independent reference calculations.

The macros are rendered with plain Jinja (no dbt) and executed in DuckDB; the reference values come from
plain Python / scipy written from the published formulas, so a wrong macro cannot pass by agreeing with itself.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import jinja2
import pytest
from scipy import stats

MACROS = Path(__file__).resolve().parents[2] / "macros" / "stats"


class _Exceptions:
    @staticmethod
    def raise_compiler_error(msg: str) -> None:
        raise ValueError(msg)


def render(expr: str) -> str:
    files = [MACROS / name for name in ("wilson.sql", "compare.sql", "trend.sql")] + [MACROS.parent / "periods.sql"]
    source = "\n".join(path.read_text() for path in files)
    env = jinja2.Environment(autoescape=False)  # noqa: S701 - renders SQL, not HTML
    return env.from_string(source + "\n" + expr).render(exceptions=_Exceptions()).strip()


def sql_scalar(expr: str):
    return duckdb.sql("select " + render(expr)).fetchone()[0]


def wilson_reference(x: int, n: int, conf: float) -> tuple[float, float]:
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("x,n", [(0, 10), (1, 10), (5, 10), (10, 10), (81, 263), (4102, 6051), (7, 8)])
@pytest.mark.parametrize("level,conf", [(95, 0.95), (99.8, 0.998)])
def test_wilson_matches_reference(x, n, level, conf):
    lo_ref, hi_ref = wilson_reference(x, n, conf)
    lo = sql_scalar(f"{{{{ fh_wilson_lower('{x}::double', '{n}::double', {level}) }}}}")
    hi = sql_scalar(f"{{{{ fh_wilson_upper('{x}::double', '{n}::double', {level}) }}}}")
    assert lo == pytest.approx(lo_ref, abs=1e-12)
    assert hi == pytest.approx(hi_ref, abs=1e-12)


def test_wilson_known_published_values():
    # Textbook values (Newcombe 1998, table I): 81/263 -> 0.2553 to 0.3662; 1/10 -> 0.0179 to 0.4042.
    assert sql_scalar("{{ fh_wilson_lower('81.0', '263.0') }}") == pytest.approx(0.2553, abs=5e-5)
    assert sql_scalar("{{ fh_wilson_upper('81.0', '263.0') }}") == pytest.approx(0.3662, abs=5e-5)
    assert sql_scalar("{{ fh_wilson_lower('1.0', '10.0') }}") == pytest.approx(0.0179, abs=5e-5)
    assert sql_scalar("{{ fh_wilson_upper('1.0', '10.0') }}") == pytest.approx(0.4042, abs=5e-5)


def test_wilson_null_for_empty_denominator():
    assert sql_scalar("{{ fh_wilson_lower('0.0', '0.0') }}") is None


def test_z_values_match_normal_quantiles():
    assert float(render("{{ fh_z(95) }}")) == pytest.approx(stats.norm.ppf(0.975), abs=1e-12)
    assert float(render("{{ fh_z(99.8) }}")) == pytest.approx(stats.norm.ppf(0.999), abs=1e-12)
    with pytest.raises(ValueError):
        render("{{ fh_z(90) }}")


@pytest.mark.parametrize(
    "lower,upper,benchmark,polarity,expected",
    [
        (60, 64, 67.7, "high_is_good", "worse"),
        (70, 74, 67.7, "high_is_good", "better"),
        (66, 69, 67.7, "high_is_good", "similar"),
        (60, 64, 67.7, "low_is_good", "better"),
        (70, 74, 67.7, "low_is_good", "worse"),
        (66, 69, 67.7, "low_is_good", "similar"),
        (60, 64, 67.7, "no_judgement", "lower"),
        (70, 74, 67.7, "no_judgement", "higher"),
        (66, 69, 67.7, "no_judgement", "similar"),
        (None, 69, 67.7, "high_is_good", None),
    ],
)
def test_compare_to_benchmark_each_polarity(lower, upper, benchmark, polarity, expected):
    lo = "null::double" if lower is None else f"{lower}::double"
    got = sql_scalar(
        f"{{{{ fh_compare_to_benchmark('{lo}', '{upper}::double', '{benchmark}', \"'{polarity}'\") }}}}"
    )
    assert got == expected


def trend_reference(points: list[tuple[int, float, int]]) -> tuple[float, float]:
    """Inverse-variance weighted slope and chi-square for [(year, proportion, n)]."""
    w = [n / (p * (1 - p)) for _, p, n in points]
    x = [yr for yr, _, _ in points]
    y = [p for _, p, _ in points]
    sw = sum(w)
    xbar = sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sw
    ybar = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sw
    sxx = sum(wi * (xi - xbar) ** 2 for wi, xi in zip(w, x, strict=True))
    sxy = sum(wi * (xi - xbar) * (yi - ybar) for wi, xi, yi in zip(w, x, y, strict=True))
    slope = sxy / sxx
    return slope, slope**2 * sxx


def run_trend(
    rows: list[tuple[str, int, float, int]], break_year: int | None, polarity: str = "high_is_good"
):
    con = duckdb.connect()
    con.execute(
        "create table s (series varchar, year integer, p double, variance double, polarity varchar, brk integer)"
    )
    for series, year, p, n in rows:
        con.execute(
            "insert into s values (?, ?, ?, ?, ?, ?)",
            [series, year, p, p * (1 - p) / n, polarity, break_year],
        )
    sql = render("{{ fh_recent_trend('s', ['series'], 'year', 'p', 'variance', 'polarity', 'brk') }}")
    return {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            f"select series, year, trend_slope, trend_chi_square, trend from ({sql}) order by 1, 2"
        ).fetchall()
    }


def test_trend_matches_weighted_regression_and_threshold():
    rising = [
        (2021, 0.60, 3000),
        (2022, 0.62, 3000),
        (2023, 0.63, 3000),
        (2024, 0.65, 3000),
        (2025, 0.66, 3000),
    ]
    flat = [(2021, 0.60, 200), (2022, 0.61, 200), (2023, 0.60, 200), (2024, 0.61, 200), (2025, 0.61, 200)]
    got = run_trend([("up", *r) for r in rising] + [("flat", *r) for r in flat], break_year=None)
    slope, chi2 = trend_reference(rising)
    assert got[("up", 2025)][0] == pytest.approx(slope, rel=1e-9)
    assert got[("up", 2025)][1] == pytest.approx(chi2, rel=1e-9)
    assert chi2 > 9.5495
    assert got[("up", 2025)][2] == "increasing and getting better"
    _, chi2_flat = trend_reference(flat)
    assert chi2_flat <= 9.5495
    assert got[("flat", 2025)][2] == "no significant change"
    # fewer than five points so far -> could not be calculated
    assert got[("up", 2024)][2] == "could not be calculated"


def test_trend_polarity_labels():
    falling = [
        (2021, 0.30, 3000),
        (2022, 0.28, 3000),
        (2023, 0.26, 3000),
        (2024, 0.25, 3000),
        (2025, 0.22, 3000),
    ]
    assert (
        run_trend([("s", *r) for r in falling], None, "low_is_good")[("s", 2025)][2]
        == "decreasing and getting better"
    )
    assert (
        run_trend([("s", *r) for r in falling], None, "high_is_good")[("s", 2025)][2]
        == "decreasing and getting worse"
    )
    assert run_trend([("s", *r) for r in falling], None, "no_judgement")[("s", 2025)][2] == "decreasing"


def test_trend_respects_break_and_gaps():
    # Old framework to 2018/19, no data 2019/20-2020/21, reform (break) from 2021/22.
    years = [
        (2015, 0.66),
        (2016, 0.69),
        (2017, 0.70),
        (2018, 0.71),
        (2021, 0.65),
        (2022, 0.67),
        (2023, 0.68),
        (2024, 0.685),
        (2025, 0.69),
    ]
    got = run_trend([("gld", y, p, 3000) for y, p in years], break_year=2021)
    # 2025 closes five consecutive post-reform points (2021..2025): calculated on those only
    slope, _ = trend_reference([(y, p, 3000) for y, p in years if y >= 2021])
    assert got[("gld", 2025)][0] == pytest.approx(slope, rel=1e-9)
    # 2024 has only four post-reform points; the old-framework points must not fill the window
    assert got[("gld", 2024)][2] == "could not be calculated"
    # Without a declared break the 2023 window spans the COVID gap (2016..2023 is not 5 consecutive years)
    nobreak = run_trend([("gld", y, p, 3000) for y, p in years], break_year=None)
    assert nobreak[("gld", 2023)][2] == "could not be calculated"


def test_periods():
    """macros/periods.sql: the one set of period macros (the calendar and the DQ cycles use them)."""
    assert sql_scalar("{{ academic_year_of(\"date '2024-08-31'\") }}") == "2023/24"
    assert sql_scalar("{{ academic_year_of(\"date '2024-09-01'\") }}") == "2024/25"
    assert sql_scalar("{{ academic_year_of(\"date '1999-12-01'\") }}") == "1999/00"
    assert sql_scalar("{{ financial_quarter_of(\"date '2024-04-01'\") }}") == "2024/25 Q1"
    assert sql_scalar("{{ financial_quarter_of(\"date '2024-12-31'\") }}") == "2024/25 Q3"
    assert sql_scalar("{{ financial_quarter_of(\"date '2025-03-31'\") }}") == "2024/25 Q4"
    assert sql_scalar("{{ financial_year_of(\"date '2025-03-31'\") }}") == "2024/25 FY"
    assert sql_scalar("{{ period_start_year(\"'2023/24'\") }}") == 2023
    assert str(sql_scalar("{{ financial_quarter_end(\"'2024/25 Q4'\") }}")) == "2025-03-31"
    assert str(sql_scalar("{{ financial_quarter_end(\"'2024/25 Q1'\") }}")) == "2024-06-30"


@pytest.mark.parametrize("df", range(1, 11))
def test_t_quantiles_match_scipy(df):
    assert sql_scalar(f"{{{{ fh_t_975('{df}') }}}}") == pytest.approx(stats.t.ppf(0.975, df), abs=1e-4)


def test_required_annual_change():
    # 66.0 in 2024/25, target 75 for 2027/28: (75 - 66) / 3 = 3 pp a year
    assert sql_scalar("{{ fh_required_annual_change('75.0', '66.0', '2027', '2024') }}") == pytest.approx(3.0)
    # already above target: a negative requirement (may fall by this much and still meet it)
    assert sql_scalar("{{ fh_required_annual_change('75.0', '78.0', '2027', '2024') }}") == pytest.approx(-1.0)
    # target year reached or passed: undefined
    assert sql_scalar("{{ fh_required_annual_change('75.0', '70.0', '2027', '2027') }}") is None
