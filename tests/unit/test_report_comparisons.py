"""Comparisons users expect beside London (issue 17): the borough's DfE statistical neighbours in the spine chart
and the tables - labelled with the benchmark's source and model, a GSS symbol where there is none - the
significance-tested trend as a mark plus words (in the tables, their keys, the spine chart, CSV and XLSX),
and the definition, unit, source, publication date and next update of every metric."""

from __future__ import annotations

import csv
import re

import duckdb
import pytest
from openpyxl import load_workbook

from fhub.reference.publications import load_publications
from fhub.report import build_report
from fhub.report.benchmarks import NO_NEIGHBOURS, neighbours_of, trend_cell
from fhub.report.data import ReportData
from fhub.report.sample import build_sample_published
from fhub.report.tables import Table

HACKNEY = "E09000012"
SN = "Statistical neighbours (DfE 2025 model)"
LAIT = "DfE LAIT: Local Authority Interactive Tool (April 2026 data)"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    root = tmp_path_factory.mktemp("cmp")
    published = build_sample_published(root / "warehouse.duckdb")
    con = duckdb.connect(str(published))
    latest = dict(
        con.execute(
            "select metric_id, max(period) from indicator_values where geography_code = ? group by 1",
            [HACKNEY],
        ).fetchall()
    )
    # the significance-tested trend, as fct_indicator_values publishes it
    con.execute(
        "update indicator_values set trend = 'could not be calculated' where geography_code = ?", [HACKNEY]
    )
    for metric, trend in (
        ("gld", "increasing and getting better"),
        ("dna_rate", "decreasing and getting better"),
        ("all_elgs", "no significant change"),
    ):
        con.execute(
            "update indicator_values set trend = ? where geography_code = ? and metric_id = ?",
            [trend, HACKNEY, metric],
        )
    # what each figure is, and the framework's definitions
    con.execute("alter table indicator_values add column source varchar default 'Borough records'")
    con.execute("update indicator_values set source = ? where metric_id = 'psed'", [LAIT])
    con.execute("alter table framework_metrics add column numerator_definition varchar")
    con.execute("alter table framework_metrics add column denominator_definition varchar")
    con.execute("alter table framework_metrics add column unit varchar default 'percent'")
    con.execute(
        "update framework_metrics set numerator_definition = 'Children at the expected level in all 12 GLD "
        "ELGs', denominator_definition = 'Children with a completed EYFS profile' where metric_id = 'gld'"
    )
    # peer_comparisons as fct_peer_comparisons publishes it: a DfE benchmark for GLD; none for dna_rate (a member's
    # figure is suppressed); nothing at all for the other metrics (DfE publishes them for no other authority)
    con.execute("""
        create table peer_comparisons (borough_code varchar, metric_id varchar, period varchar, breakdown_type varchar,
          breakdown_value varchar, peer_group_id varchar, peer_group_name varchar, value double,
          benchmark_value double, benchmark_source varchar, benchmark_members varchar, compared_to_benchmark varchar,
          dq_status varchar, dq_reason varchar)""")
    con.execute(
        "insert into peer_comparisons values (?, 'gld', ?, 'total', 'total', 'statistical_neighbours', ?, "
        "null, 61.25, ?, null, 'better', 'published', null)",
        [HACKNEY, latest["gld"], SN, f"10 of 10 in {SN}, their published counts pooled: DfE EES"],
    )
    con.execute(
        "insert into peer_comparisons values (?, 'dna_rate', ?, 'total', 'total', 'statistical_neighbours', "
        "?, null, null, ?, null, null, 'published', null)",
        [
            HACKNEY,
            latest["dna_rate"],
            SN,
            "no benchmark: a member's figure is suppressed for disclosure "
            "control, and the group figure would reveal it",
        ],
    )
    con.execute(
        "insert into peer_comparisons values (?, 'gld', ?, 'total', 'total', 'inner_london', 'Inner London', "
        "null, 99.0, 'x', null, 'worse', 'published', null)",
        [HACKNEY, latest["gld"]],
    )  # not a neighbour
    con.close()
    out = root / "out"
    pages = build_report(published, out)
    page = next(p for p in pages if HACKNEY in p.name)
    return {"html": page.read_text(), "data": out / "data", "prefix": page.stem}


def _csv(pack, slug: str) -> list[dict]:
    with (pack["data"] / f"{pack['prefix']}-{slug}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _section(html: str, section: str) -> str:
    start = html.index(f'class="section-{section}"')
    return html[start : html.index("</section>", start)]


def test_statistical_neighbours_beside_london_and_england_with_their_identity(pack):
    rows = {r["Metric"]: r for r in _csv(pack, "scorecard")}
    gld = rows["Good level of development"]
    assert gld["Statistical neighbours"] == "61.2" or gld["Statistical neighbours"] == "61.3"
    assert gld["Compared with statistical neighbours"] == "▲ better"
    assert gld["Statistical neighbours benchmark"].startswith("DfE published figures - 10 of 10 in " + SN)
    # no benchmark: the agreed symbol and why, never a blank, None or NaN
    dna = rows["Did-not-attend rate"]
    assert (dna["Statistical neighbours"], dna["Compared with statistical neighbours"]) == ("c", "c")
    assert "suppressed" in dna["Statistical neighbours benchmark"]
    swemwbs = rows["Parents with meaningful SWEMWBS improvement"]
    assert (
        swemwbs["Statistical neighbours"] == "x"
        and swemwbs["Statistical neighbours benchmark"] == NO_NEIGHBOURS
    )
    for row in rows.values():
        assert all(v.strip() and v not in ("None", "nan") for k, v in row.items() if k != "DQ status"), row
    # the spine chart marks them (and England), with a legend naming the model
    spine = _section(pack["html"], "scorecard")
    assert spine.count('data-comparator="neighbours"') == 1 and 'data-comparator="england"' in spine
    assert f'class="legend-neighbours">{SN}</text>' in spine and "England</text>" in spine
    # and the GLD trend table has the neighbours' column beside London and England
    trend = _csv(pack, "gld-trend")
    assert "Statistical neighbours %" in trend[0] and trend[0]["Statistical neighbours %"] in (
        "x",
        "61.2",
        "61.3",
    )


def test_trend_arrows_with_words_in_tables_keys_chart_and_downloads(pack):
    rows = {r["Metric"]: r for r in _csv(pack, "scorecard")}
    assert rows["Good level of development"]["Trend"] == "↑ increasing and getting better"
    assert rows["Did-not-attend rate"]["Trend"] == "↓ decreasing and getting better"
    assert rows["Expected in all ELGs"]["Trend"] == "→ no significant change"
    assert rows["Reach of resident under-5s"]["Trend"] == "– could not be calculated"
    spine = _section(pack["html"], "scorecard")
    assert "<td>↑ increasing and getting better</td>" in spine
    keys = re.findall(r'<p class="symbols-key">.*?</p>', spine)
    assert any(
        "<strong>↑</strong> trend: increasing" in k and "<strong>–</strong> trend could not be" in k
        for k in keys
    )  # the table's key, and the chart's key beside it
    assert sum("<strong>↓</strong>" in k for k in keys) == 2
    assert 'class="trend">↑ getting better</text>' in spine
    wb = load_workbook(pack["data"] / f"{pack['prefix']}-scorecard.xlsx")
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "↑ increasing and getting better" in cells
    assert any(
        c.startswith("Marks: ") and "↑ trend: increasing" in c and "▲ significantly better" in c
        for c in cells
    )


def test_definition_unit_source_and_release_dates_beside_every_metric(pack):
    rows = {r["Metric"]: r for r in _csv(pack, "definitions")}
    assert len(rows) == len(_csv(pack, "scorecard"))  # every metric of the scorecard
    gld = rows["Good level of development"]
    assert gld["Definition"] == (
        "Children at the expected level in all 12 GLD ELGs, out of: children with a completed EYFS profile."
    )
    assert (gld["Unit"], gld["Source"], gld["Published on"], gld["Next update"]) == (
        "%",
        "Borough records",
        "z",
        "z",
    )
    psed = rows["Expected in personal, social and emotional development"]
    assert psed["Source"] == LAIT and psed["Published on"] == "8 April 2026"
    assert psed["Next update"].startswith("not announced")
    assert rows["Did-not-attend rate"]["Definition"] == "not recorded in the framework"
    section = _section(pack["html"], "definitions")
    assert "<details>" in section and "8 April 2026" in section  # collapsed on screen, printed as a pointer


def test_statistical_neighbours_from_indicator_values_when_peer_comparisons_is_absent():
    value = {
        "metric_id": "m",
        "period": "2024/25",
        "neighbours_value": 64.5,
        "compared_to_neighbours": "similar",
        "neighbours_benchmark": "10 of 10 statistical neighbours (DfE 2021 model), mean of their published "
        "percentages: DfE LAIT",
    }
    sn = neighbours_of(ReportData(boroughs={}, hubs={}, metrics={}, values=[]), HACKNEY, value)
    assert (sn.value, sn.compared, sn.symbol) == (64.5, "similar", None)
    assert sn.label.startswith("DfE published figures") and "2021 model" in sn.label
    assert (
        neighbours_of(
            ReportData(boroughs={}, hubs={}, metrics={}, values=[]),
            HACKNEY,
            {"metric_id": "m", "period": "2024/25"},
        ).symbol
        == "x"
    )


def test_trend_marks_are_keyed_only_where_a_trend_is():
    assert trend_cell(None, "c") == "c" and trend_cell("increasing", None) == "↑ increasing"
    t = Table("t", ["a", "b"], [["x", "– could not be calculated"], ["y", "–5 points"]])
    assert [s for s, _ in t.symbols] == ["x", "–"]
    assert [s for s, _ in Table("t", ["a"], [["–5 points"]]).symbols] == []


def test_release_dates_come_from_the_config():
    assert {p.source for p in load_publications()} >= {
        "lait",
        "ees_eyfsp_headline_2022_2025",
        "fingertips_90632",
    }
