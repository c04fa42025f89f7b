"""int_gld_published reproduces the published figures exactly; comparators computed from counts match.

Source figures are read straight from the real files here (csv module / DuckDB on the parquet), independently
of the adapters, so a landing or modelling mistake cannot hide itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

PROJECT = Path(__file__).resolve().parents[2]
LONDON = {
    r["borough_code"]: r for r in csv.DictReader((PROJECT / "seeds/reference/london_boroughs.csv").open())
}
BY_DFE = {r["dfe_la_code"]: code for code, r in LONDON.items()}

UNDERLYING = "nestauk__afs_neighbourhood_analysis/APS_GLD_ELG_EXP_2013_2019.csv"
HEADLINE_2022 = "dfe-analytical-services__SEND-AP-Inclusion-Dashboard/1_eyfsp_headline_measures_2022.csv"
LAIT = "dfe-analytical-services__local-authority-interactive-tool/bds_long_0.parquet"


def _year(time_period: str) -> str:
    return f"{time_period[:4]}/{time_period[4:]}"


def _published(warehouse, measure="gld", breakdown="total"):
    rows = warehouse.execute(
        "select geography_code, academic_year, value, numerator, denominator, source "
        "from intermediate.int_gld_published where measure = ? and breakdown_value = ?",
        [measure, breakdown],
    ).fetchall()
    return {(code, year): (value, num, den, src) for code, year, value, num, den, src in rows}


def test_reference_files_landed_without_errors(reference_build):
    landed, _outcome, _db = reference_build
    assert landed.ok, [i for i in landed.issues if i.severity == "error"]


def _source_figures(real_dir: Path) -> dict[tuple[str, str, str], float]:
    """(borough, academic year, breakdown) -> published GLD % for London boroughs, from every real file."""
    figures: dict[tuple[str, str, str], float] = {}
    with (real_dir / UNDERLYING).open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if (
                r["geographic_level"] == "Local Authority"
                and r["gender"] == "Total"
                and r["new_la_code"] in LONDON
            ):
                figures[(r["new_la_code"], _year(r["time_period"]), "total")] = float(r["gld_percent"])
    # not-FSM is DfE's current "not eligible" in every year (issue 16): the 2022 file's "not known to be eligible"
    # group also holds unknowns and is not used; 2021/22 not-eligible is LAIT's (below)
    fsm = {"Known to be eligible for free school meals": "eligible"}
    with (real_dir / HEADLINE_2022).open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            if (
                r["geographic_level"] != "Local authority"
                or r["gender"] != "Total"
                or r["new_la_code"] not in LONDON
            ):
                continue
            if r["characteristic"] == "Total":
                figures[(r["new_la_code"], "2021/22", "total")] = float(r["gld_percentage"])
            elif r["characteristic_type"] in fsm:
                figures[(r["new_la_code"], "2021/22", fsm[r["characteristic_type"]])] = float(
                    r["gld_percentage"]
                )
    con = duckdb.connect()
    rows = con.execute(
        f"""select "Short Desc", "Years", cast(cast("LA Number" as integer) as varchar), "Values"
            from read_parquet('{real_dir / LAIT}')
            where "Short Desc" in ('FSP_NEW_GOODDEV', 'FSP_Gooddev_FSM', 'FSP_Gooddev_FSM_Other')
              and ("Years" in ('2023', '2024', '2025') or ("Years" = '2022' and "Short Desc" = 'FSP_Gooddev_FSM_Other'))
              and "Values" <> '-'"""
    ).fetchall()
    con.close()
    kind = {
        "FSP_NEW_GOODDEV": "total",
        "FSP_Gooddev_FSM": "eligible",
        "FSP_Gooddev_FSM_Other": "not_eligible",
    }
    for desc, year, la, value in rows:
        if la in BY_DFE:
            figures[(BY_DFE[la], f"{int(year) - 1}/{year[2:]}", kind[desc])] = float(value)
    return figures


def test_every_london_borough_every_year_matches_the_source_figure(real_dir, warehouse):
    figures = _source_figures(real_dir)
    published = {b: _published(warehouse, breakdown=b) for b in ("total", "eligible", "not_eligible")}
    totals = {(code, year) for code, year, b in figures if b == "total"}
    # 33 boroughs x (7 pre-reform + 2021/22 + 3 LAIT years)
    assert len(totals) == 33 * 11
    mismatches = []
    for (code, year, breakdown), expected in sorted(figures.items()):
        got = published[breakdown].get((code, year))
        if got is None or abs(got[0] - expected) > 0.1 + 1e-9:
            mismatches.append((LONDON[code]["borough_name"], year, breakdown, expected, got))
    assert mismatches == []


def test_no_rows_for_the_years_the_profile_was_not_collected(warehouse):
    years = {
        r[0]
        for r in warehouse.execute(
            "select distinct academic_year from intermediate.int_gld_published"
        ).fetchall()
    }
    assert {"2019/20", "2020/21"}.isdisjoint(years)
    assert {"2012/13", "2018/19", "2021/22", "2024/25"} <= years


@pytest.mark.parametrize(
    ("code", "year", "numerator", "denominator", "value"),
    [
        ("E12000007", "2018/19", 25364 + 49433, 34623 + 66375, 74.1),  # London = Inner + Outer London counts
        ("E92000001", "2021/22", 405723, 622583, 65.2),  # England, EES 2022 headline
        ("E92000001", "2018/19", 458847, 638995, 71.8),
        ("E09000007", "2021/22", 992, 1520, 65.3),  # Camden
    ],
)
def test_comparators_are_computed_from_counts(warehouse, code, year, numerator, denominator, value):
    got = _published(warehouse)[(code, year)]
    assert got[1:3] == (numerator, denominator)
    assert round(100 * numerator / denominator, 1) == value
    assert abs(got[0] - value) <= 0.05


def test_london_derived_from_counts_matches_lait_every_pre_reform_year(real_dir, warehouse):
    con = duckdb.connect()
    lait = dict(
        con.execute(
            f"""select "Years", cast("Values" as double) from read_parquet('{real_dir / LAIT}')
                where "Short Desc" = 'FSP_NEW_GOODDEV' and "LA Number" = 986 and "Values" <> '-'"""
        ).fetchall()
    )
    con.close()
    published = _published(warehouse)
    for year in ("2016", "2017", "2018", "2019", "2022", "2023", "2024", "2025"):
        value = published[("E12000007", f"{int(year) - 1}/{year[2:]}")][0]
        assert abs(value - lait[year]) <= 0.1, (year, value, lait[year])
    # README reference series: England 2022-25 and London FSM
    assert [published[("E92000001", y)][0] for y in ("2021/22", "2022/23", "2023/24", "2024/25")] == [
        65.2,
        67.2,
        67.7,
        68.3,
    ]
    fsm = _published(warehouse, breakdown="eligible")
    # FSM before the reform: Fingertips 90632 at 1 dp (Camden 2012/13 34.1, England 2015/16 54.4)
    assert fsm[("E09000007", "2012/13")][0] == 34.1 and fsm[("E92000001", "2015/16")][0] == 54.4
    assert [fsm[("E12000007", y)][0] for y in ("2021/22", "2022/23", "2023/24", "2024/25")] == [
        56.2,
        57.8,
        58.3,
        58.9,
    ]


def test_lsoa_deprivation_covers_england_and_keeps_every_child(real_dir, warehouse):
    n, london, children = warehouse.execute(
        "select count(*), count(*) filter (where is_london), sum(children_0_15) from intermediate.int_lsoa_deprivation"
    ).fetchone()
    assert n == 32844
    assert london == 4835
    import openpyxl

    wb = openpyxl.load_workbook(
        real_dir / "nani2357__Warrington_deprivation_index/File_6_-_IoD2019_Population_Denominators.xlsx",
        read_only=True,
    )
    ws = wb["Population Denominators"]
    expected = sum(int(r[5]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0])
    wb.close()
    assert children == expected


def test_statistical_neighbours_both_models(warehouse):
    def first_five(model):
        return [
            r[0]
            for r in warehouse.execute(
                "select neighbour_dfe_la_code from intermediate.int_statistical_neighbours "
                "where model = ? and borough_code = 'E09000007' order by rank limit 5",
                [model],
            ).fetchall()
        ]

    assert first_five(2025) == ["206", "213", "205", "210", "208"]
    assert first_five(2021) == ["213", "205", "207", "206", "212"]


def test_real_file_quirks_are_reported_not_dropped(reference_build, warehouse):
    landed, _outcome, _db = reference_build
    counts = dict(
        warehouse.execute(
            "select table_name || ':' || issue, count(*) from ref.reference_issues group by 1"
        ).fetchall()
    )
    assert counts["dfe_lait_bds_long:missing_marker"] == 93883  # every "-" in LAIT, with row and column
    assert counts["ohid_fingertips_export:quoted_newline"] == 852
    assert counts["ohid_fingertips_export:ragged_row"] == 852  # rows one field short of the 26-column header
    lait_rows = warehouse.execute("select count(*) from ref.dfe_lait_bds_long").fetchone()[0]
    assert lait_rows == 641070
    assert len(landed.issues) == sum(counts.values())
