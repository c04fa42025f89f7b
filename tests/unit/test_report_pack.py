"""The performance-cycle pack (issue 17): one ranked problem list, plain-language dbt/GX failures, nothing
received, funnel plots only where they inform, labels that never overlap, symbols keys, the London tile map,
what changed with readable labels, the official/provisional GLD, the static Data Docs index."""

from __future__ import annotations

import csv
import re

import pytest
from openpyxl import load_workbook

from fhub.report import charts
from fhub.report.changes import changes_section, cycle_of
from fhub.report.data import ReportData
from fhub.report.datadocs_index import write_data_docs_index
from fhub.report.london import LONDON_TILES, AreaValue, tile_map
from fhub.report.problems import CENTRAL, borough_problems, translate_check
from fhub.report.tables import Table, write_downloads

HACKNEY = "E09000012"


def _check(**kw):
    base = {"borough_code": HACKNEY, "source": "dbt", "dimension": "consistency", "severity": "blocking_all",
            "status": "fail", "failing_rows": 160, "extract_type": None, "period": None,
            "message": "int_gld_published failed a data test (160 rows).", "fix": "See the dbt test SQL."}
    return {**base, **kw}


def test_dbt_failure_in_plain_language_for_the_central_team():
    p = translate_check(_check(borough_code=None))
    assert p.who == CENTRAL and p.impact == "blocking"
    assert "int_gld_published" not in p.what and "dbt test SQL" not in p.fix
    assert "160 rows" in p.what and p.fix.startswith("For the central team")


def test_dbt_failure_about_a_borough_extract_gets_a_fix_the_officer_can_make():
    p = translate_check(_check(dimension="uniqueness", severity="withhold_scope", extract_type="contacts",
                               period="2024-05", failing_rows=3))
    assert p.who != CENTRAL and p.impact == "withheld"
    assert "3 rows recorded more than once in the contacts extract for 2024-05" in p.what
    assert "Remove the duplicate records from the contacts extract for 2024-05" in p.fix


def test_panel_is_never_empty_when_the_scorecard_counts_failures_and_nothing_received_is_a_problem():
    scorecard = [{"borough_code": HACKNEY, "cycle": "2026/27 Q3", "dimension": "timeliness", "checks_failed": 49,
                  "checks_warned": 0},
                 {"borough_code": HACKNEY, "cycle": "2026/27 Q3", "dimension": "plausibility", "checks_failed": 0,
                  "checks_warned": 27}]
    deliveries = [{"borough_code": HACKNEY, "extract_type": e, "status": "landed"} for e in ("register", "contacts")]
    deliveries.append({"borough_code": HACKNEY, "extract_type": "eyfsp", "status": "quarantined"})
    problems = borough_problems(HACKNEY, [], scorecard, [], deliveries)
    texts = [p.what for p in problems]
    assert any("49 deliveries arrived late" in t for t in texts)
    assert any("27 deliveries" in t and "unusual" in t for t in texts)
    missing = [p for p in problems if p.impact == "missing"]
    assert {p.extract for p in missing} == {"referrals", "assessments", "eyfsp"}
    assert any("files arrived but none could be landed" in p.what for p in missing if p.extract == "eyfsp")
    assert problems[0].impact == "missing"  # nothing received outranks late deliveries and warnings
    # a borough that sent nothing at all has that problem, not "no open problems"
    [nothing] = borough_problems("E09000001", [], [], [], deliveries)
    assert nothing.impact == "missing" and "Nothing received from this borough" in nothing.what


def test_funnel_skipped_when_it_cannot_inform():
    from fhub.report.funnel import funnel_skip_reason

    hubs = [{"numerator": 5, "denominator": 12}, {"numerator": 6, "denominator": 15}, {"numerator": 9, "denominator": 30}]
    assert funnel_skip_reason({"numerator": 20, "denominator": 57, "period": "2024/25"}, hubs) is None
    assert "100%" in funnel_skip_reason({"numerator": 57, "denominator": 57, "period": "2024/25"}, hubs)
    assert "0%" in funnel_skip_reason({"numerator": 0, "denominator": 57, "period": "2024/25"}, hubs)
    small = hubs[:2] + [{"numerator": 1, "denominator": 9}]
    assert "only 2 hub(s)" in funnel_skip_reason({"numerator": 20, "denominator": 57, "period": "2024/25"}, small)


def test_funnel_labels_never_overlap():
    anchors = [(100 + (i % 3), 100 + (i % 2), str(i + 1)) for i in range(12)]  # a tight cluster
    placed = charts.place_labels(anchors, (50, 20, 500, 300))
    boxes = [(x, y - 12, x + 6.6 * len(a[2]) + 2, y) for (x, y, _), a in zip(placed, anchors, strict=True)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_spine_shows_suppressed_as_c():
    row = charts.SpineRow("Learning · children", "GLD", None, 70.0, 60.0, 65.0, 75.0, 80.0, None, True, symbol="c")
    svg = charts.spine_chart("s", "t", "d", [row])
    assert "c suppressed" in svg and "no value" not in svg


def test_symbols_key_and_xlsx_footnote(tmp_path):
    t = Table("T", ["Year", "Value", "Note"], [["2020/21", "c", ""], ["2027/28 (projection)", 71.0, "p"],
                                                ["2024/25", 60.0, "▲ better"]])
    assert [s for s, _ in t.symbols] == ["c", "p", "▲"]
    write_downloads(t, tmp_path, "x")
    ws = load_workbook(tmp_path / "x-t.xlsx").active
    footnote = [c.value for c in ws["A"] if c.value and str(c.value).startswith("GSS symbols")][0]
    for sym in ("c ", "x ", "z ", "b ", "p ", "r "):
        assert f"; {sym}" in footnote or footnote.startswith(f"GSS symbols: {sym}")
    assert list(csv.reader((tmp_path / "x-t.csv").open()))[1][1] == "c"  # the same symbol in the CSV


def test_tile_map_has_all_33_boroughs():
    assert len(LONDON_TILES) == 33 and len({(r, c) for _, r, c in LONDON_TILES.values()}) == 33
    areas = [AreaValue(code, code, 70.0, 68.0, 72.0, "better" if i % 2 else "worse") for i, code in enumerate(LONDON_TILES)]
    svg = tile_map("m", "t", "d", areas, "England")
    assert len(re.findall(r'<g class="tile"', svg)) == 33
    assert "▲" in svg and "▼" in svg and "significantly better than England" in svg  # not colour alone


def test_what_changed_has_readable_labels_breakdown_and_top_n(tmp_path):
    revisions = [{"metric_id": "eyfs_area_mathematics", "geography_code": HACKNEY, "borough_code": HACKNEY,
                  "period": f"20{i + 10}/{i + 11}", "breakdown_type": "sex" if i % 2 else "total",
                  "breakdown_value": "female" if i % 2 else "total", "previous_value": 50.0, "current_value": 50.0 + i,
                  "value_change": float(i), "revision_kind": "value revised", "causing_deliveries": "hackney eyfsp",
                  "snapshot_at": "2026-11-20T02:00:00"} for i in range(1, 25)]
    data = ReportData(boroughs={HACKNEY: "Hackney"}, hubs={}, values=[], revisions=revisions,
                      metrics={"eyfs_area_mathematics": {"metric_name": "Expected level in mathematics"}})
    section = changes_section(data, HACKNEY, "Hackney", "b", tmp_path)
    table = section.tables[0]
    assert table.show == 10 and len(table.rows) == 24
    assert table.rows[0][0] == "Expected level in mathematics" and table.rows[0][1] == "Hackney"
    assert table.rows[0][6] == 24.0 and table.rows[0][2] == "all" and table.rows[1][2] == "sex: female"
    assert "eyfs_area_mathematics" not in str(table.rows)
    with (tmp_path / table.csv_href.split("/", 1)[1]).open() as fh:
        assert len(list(csv.reader(fh))) == 25  # the full table is the download
    # two runs of the cycle changing one value fold into one change: first before, last now
    twice = [dict(revisions[0], snapshot_at="2026-10-02T02:00:00"),
             dict(revisions[0], previous_value=51.0, current_value=49.0, value_change=-2.0)]
    data.revisions = twice
    row = changes_section(data, HACKNEY, "Hackney", "b", tmp_path).tables[0].rows
    assert len(row) == 1 and row[0][4:7] == [50.0, 49.0, -1.0]
    assert cycle_of("2026-11-20T02:00:00") == "2026/27 Q3" and cycle_of("2027-02-01T00:00:00") == "2026/27 Q4"


def test_gld_official_and_provisional_are_labelled_and_tolerate_new_columns():
    from fhub.report.gld import gld_headline

    tracker = [
        {"geography_code": HACKNEY, "academic_year": "2024/25", "gld_value": 68.1, "gld_source": "published: lait"},
        {"geography_code": HACKNEY, "academic_year": "2025/26", "gld_value": 68.2, "gld_source": "pupil_level"},
    ]
    data = ReportData(boroughs={}, hubs={}, metrics={}, values=[], tracker=tracker)
    official, provisional = gld_headline(data, HACKNEY)
    assert (official.year, official.provisional, provisional.year, provisional.provisional) == (
        "2024/25", False, "2025/26", True)
    assert "DfE published" in official.source and "provisional" in provisional.source
    london = [dict(t, geography_code="E12000007") for t in tracker]
    data.tracker = london
    assert "participating boroughs" in gld_headline(data, "E12000007")[1].source  # not all of London
    data.tracker = tracker
    # issue 16's columns: a borough-records figure is never "official", even for a year DfE has published
    tracker[1].update(source="borough EYFSP returns", is_provisional=False)
    tracker[0].update(is_provisional=False)
    official, provisional = gld_headline(data, HACKNEY)
    assert official.year == "2024/25" and provisional is None


def test_gld_headline_and_trend_keep_dfe_and_borough_records_apart(tmp_path):
    """The published tracker holds two series per borough (issue 16): DfE's figures and the borough's own
    records, both for 2024/25. The headline's official figure is DfE's, the provisional one the records' later
    year; the trend draws and tabulates them as separate series, never one spliced line."""
    from fhub.report.gld import gld_headline, gld_section, gld_summary

    def row(year, series, value, provisional=False, latest=False):
        source = "DfE LAIT: Local Authority Interactive Tool (April 2026 data)" if series == "published" \
            else "Borough records"
        return {"geography_code": HACKNEY, "academic_year": year, "series": series, "source": source,
                "gld_value": value, "is_provisional": provisional, "is_latest": latest}

    tracker = [row("2023/24", "published", 69.2), row("2024/25", "published", 68.1),
               row("2023/24", "borough_records", 69.0763), row("2025/26", "borough_records", 68.1818, True, True),
               row("2024/25", "borough_records", 67.8571)]
    data = ReportData(boroughs={}, hubs={}, metrics={}, values=[], tracker=tracker)
    official, provisional = gld_headline(data, HACKNEY)
    assert (official.year, official.value, official.provisional) == ("2024/25", 68.1, False)
    assert "DfE published statistics" in official.source
    assert (provisional.year, provisional.value, provisional.provisional) == ("2025/26", 68.1818, True)
    assert "borough EYFSP returns" in provisional.source and "provisional" in provisional.source
    summary = gld_summary(data, HACKNEY)
    assert (summary.latest_year, summary.provisional) == ("2025/26", True)
    table = gld_section(data, HACKNEY, "Hackney", "b", tmp_path).tables[0]
    assert table.columns[1:3] == ["Hackney DfE published %", "Hackney own records %"]
    by_year = {r[0]: r for r in table.rows}
    assert by_year["2024/25"][1] == 68.1 and by_year["2024/25"][2] in (67.8571, 67.9)
    assert by_year["2025/26"][1] == "x" and "p" in by_year["2025/26"][-1]


def test_data_docs_index_lists_every_suite_and_result_without_scripts(tmp_path):
    docs = tmp_path / "data-docs"
    (docs / "expectations").mkdir(parents=True)
    for suite in ("indicator_values", "raw_keys"):
        (docs / "expectations" / f"{suite}.html").write_text("<html></html>")
    run = docs / "validations" / "raw_keys" / "__none__" / "20261204T193313.257180Z"
    run.mkdir(parents=True)
    (run / "work-raw_keys.html").write_text('<span class="h6" >Status:</span> <i class="fas fa-times"></i> Failed')
    (docs / "index.html").write_text("<html><script>drawList()</script></html>")  # GX's own
    index = write_data_docs_index(docs)
    text = index.read_text()
    assert "<script" not in text and (docs / "gx-index.html").exists()
    assert 'href="expectations/indicator_values.html"' in text and 'href="expectations/raw_keys.html"' in text
    assert 'href="validations/raw_keys/__none__/20261204T193313.257180Z/work-raw_keys.html"' in text
    assert "✗ failed" in text and "2026-12-04 19:33:13 UTC" in text
    write_data_docs_index(docs)  # twice is harmless: GX's page is not overwritten by ours
    assert "drawList" in (docs / "gx-index.html").read_text()


@pytest.mark.parametrize("name", ['Bad "name"', "Back\\slash", "<script>"])
def test_running_header_text_is_a_safe_css_string(name):
    from fhub.report.build import css_string

    out = str(css_string(name))
    assert "<" not in out and not re.search(r'(?<!\\)"', out)


def test_scorecard_reads_issue_16_columns_when_present():
    from fhub.report.scorecard import SCORECARD_COLUMNS, domain_verdicts

    value = {"metric_id": "m", "geography_code": HACKNEY, "geography_level": "borough", "period": "2024/25",
             "value": 68.1818, "lower_95": 64.21, "upper_95": 71.9, "london_value": 69.3, "england_value": 67.7,
             "compared_to_london": "similar", "source": "borough EYFSP returns", "source_precision_dp": 0,
             "is_provisional": True}
    data = ReportData(boroughs={HACKNEY: "Hackney"}, hubs={}, values=[value],
                      metrics={"m": {"metric_name": "GLD", "unit": "percent", "domain": "learning", "layer": 1}})
    _, _, rows = domain_verdicts(data, HACKNEY)
    row = dict(zip(SCORECARD_COLUMNS, rows[0], strict=True))
    assert (row["Value"], row["Lower 95% CI"], row["London"]) == (68.0, 64.0, 69.0) and row["Unit"] == "%"
    assert row["Source"] == "borough EYFSP returns — provisional p"
    assert ("p", "provisional or projected") in Table("t", SCORECARD_COLUMNS, rows).symbols


def test_repeated_landing_warnings_are_one_problem():
    warn = {"borough_code": HACKNEY, "source": "landing", "check_name": "rows_with_warnings", "dimension": "validity",
            "severity": "warn", "status": "warn", "extract_type": "contacts", "fix": "Do not type identifiers."}
    checks = [dict(warn, period=f"2025-{m:02d}", failing_rows=m, message=f"hackney contacts 2025-{m:02d}: rows")
              for m in range(1, 13)]
    checks.append(_check(borough_code=HACKNEY, extract_type="eyfsp", period="2024/25", severity="warn", status="warn",
                         source="landing", check_name="rows_with_warnings", message="eyfsp rows", failing_rows=2))
    problems = borough_problems(HACKNEY, checks, [], [], None)
    assert len(problems) == 2
    contacts = next(p for p in problems if p.extract == "contacts")
    assert "12 deliveries of the contacts extract, 2025-01 to 2025-12 had 78 rows" in contacts.what
    assert contacts.fix == "Do not type identifiers." and contacts.rows == 78
