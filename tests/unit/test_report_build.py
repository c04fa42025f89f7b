"""The performance-cycle report: pages, the officer's three answers, GSS symbols, safe downloads, read-only."""

from __future__ import annotations

import csv
import hashlib
import re

import duckdb
import pytest
from openpyxl import load_workbook

from fhub.dq import PublishDecision, WithheldScope, apply_withholdings
from fhub.report import build_report
from fhub.report.sample import build_sample_published
from fhub.report.scorecard import weakest_domain
from fhub.report.stats import Z95, funnel_limits, linear_projection, wilson
from fhub.report.tables import Table, neutralise, write_downloads

HACKNEY = "E09000012"


@pytest.fixture(scope="module")
def built(tmp_path_factory, withholding_plan):
    root = tmp_path_factory.mktemp("rep")
    published = build_sample_published(root / "published" / "warehouse.duckdb")
    con = duckdb.connect(str(published))
    apply_withholdings(con, PublishDecision(block_all=False, withheld_scopes=[
        WithheldScope(HACKNEY, "eyfsp", "2023/24", ("12 pupils have no birth month",))]), withholding_plan)
    con.execute("checkpoint")
    con.close()
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    (root / "reports" / "data-docs").mkdir(parents=True)
    (root / "reports" / "data-docs" / "index.html").write_text("<html></html>")
    pages = build_report(published, root / "reports" / "performance", run_summary={"run": "r1", "decision": "ok"})
    return root, published, digest, pages


def test_pages_written_and_published_file_untouched(built):
    root, published, digest, pages = built
    assert [p.name for p in pages] == ["index.html"] + [f"borough-{c}.html" for c in
                                                        ("E09000012", "E09000024", "E09000033")]
    assert hashlib.sha256(published.read_bytes()).hexdigest() == digest  # opened read-only
    assert not published.with_name(published.name + ".wal").exists()


def test_no_network_references(built):
    for page in built[3]:
        text = page.read_text()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", text), page.name
        assert "<script" not in text  # charts are static SVG


def test_borough_page_answers_the_officers_questions(built):
    text = next(p for p in built[3] if HACKNEY in p.name).read_text()
    glance = text[text.index('id="glance-gld"'):text.index('id="glance-problems"')]
    # 2023/24 was withheld for Hackney: the provisional figure is x, the gap is from 2022/23, the source labelled
    assert "provisional, 2023/24" in glance and "Source: borough EYFSP returns (pupil level)" in glance
    assert "points below target (2022/23)" in glance and "Target 75.0% by 2027/28" in glance
    assert "Weakest domain" in glance and 'class="big"' in glance
    problems = text[text.index('id="glance-problems"'):text.index("</section>", text.index('id="glance-problems"'))]
    items = re.findall(r"<li>(.*?)</li>", problems, re.S)
    assert len(items) == 3
    assert "contacts 2024-05" in items[0] and "What to do:" in items[0]  # the failing (withholding) check first
    assert "eyfsp" in items[1] and "20 published values withheld" in items[1]  # then the withheld scope
    assert "20 published values are withheld" in problems


def test_every_chart_has_a_figure_caption_and_table(built):
    for page in built[3]:
        text = page.read_text()
        figures = re.findall(r"<figure>(.*?)</figure>", text, re.S)
        assert figures, page.name
        for fig in figures:
            assert "<svg" in fig and 'role="img"' in fig and "<figcaption>" in fig and re.search(r"<table[ >]", fig)
        assert text.count("<h1>") == 1


def test_gss_symbols_in_tables(built):
    text = next(p for p in built[3] if HACKNEY in p.name).read_text()
    gld_table = text[text.index("<caption>GLD by year Hackney</caption>"):]
    gld_table = gld_table[:gld_table.index("</table>")]
    row_2324 = re.search(r"<th scope=\"row\">2023/24</th>(.*?)</tr>", gld_table, re.S).group(1)
    assert re.findall(r">([^<]*)</td>", row_2324)[:3] == ["x", "x", "x"]  # withheld → x
    assert re.search(r"2021/22</th>.*?>b</td>", gld_table, re.S)  # break in series
    assert "withheld" in text and "12 pupils have no birth month" in text


def test_downloads_exist_and_are_formula_safe(built, tmp_path):
    root = built[0]
    data = root / "reports" / "performance" / "data"
    for page in built[3]:
        for href in re.findall(r'href="(data/[^"]+)"', page.read_text()):
            assert (root / "reports" / "performance" / href).exists(), href
    t = Table("Evil", ["a", "b"], [["=HYPERLINK(\"http://x\")", -3.5], ["@SUM(A1)", "+1"], ["ok", "-x"]])
    write_downloads(t, tmp_path / "data", "t")
    rows = list(csv.reader((tmp_path / "data" / "t-evil.csv").open()))
    assert rows[1][0].startswith("'=") and rows[2] == ["'@SUM(A1)", "'+1"] and rows[3] == ["ok", "'-x"]
    assert rows[1][1] == "-3.5"  # numbers stay numbers
    ws = load_workbook(tmp_path / "data" / "t-evil.xlsx").active
    assert ws["A2"].value.startswith("'=") and ws["B2"].value == -3.5 and ws["A3"].value == "'@SUM(A1)"
    assert neutralise("\tcmd") == "'\tcmd"
    assert any(data.glob("*.xlsx"))


def test_docs_links_are_relative(built):
    text = built[3][0].read_text()
    assert 'href="../data-docs/index.html"' in text and 'href="../dbt-docs/index.html"' in text
    assert "dbt docs</a> (not generated for this run)" in text


def test_missing_published_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        build_report(tmp_path / "nope.duckdb", tmp_path / "out")


def test_weakest_domain_rule():
    assert weakest_domain({"safe": ["worse", "similar"], "learning": ["better", "worse"],
                           "happy": ["similar"]}) == ("safe", "1 of 2 compared metrics significantly worse than London")
    assert weakest_domain({"x": ["not compared"]}) is None


def test_wilson_and_funnel_limits_known_values():
    lo, hi = wilson(50, 100, Z95)  # standard textbook value 0.4038–0.5962
    assert round(lo, 4) == 0.4038 and round(hi, 4) == 0.5962
    assert funnel_limits(0.5, 100, Z95) == wilson(50, 100, Z95)
    pred, low, up = linear_projection([2021, 2022, 2023], [60.0, 62.0, 64.0], 2027)
    assert round(pred, 6) == 72.0 and low == pytest.approx(72.0) and up == pytest.approx(72.0)
    assert linear_projection([2022, 2023], [1.0, 2.0], 2027) is None


def test_a_night_that_did_not_publish_is_said_without_a_second_run_id():
    from fhub.report.build import _published_note

    note = _published_note("# Nightly run r2\n\n- mode: demo\n- published: NO\n")
    assert "did not publish" in note and "r2" not in note
    assert _published_note("# Nightly run r1\n- published: yes\n") is None


def test_spine_spread_is_london_boroughs_only(tmp_path):
    """At national scale authorities outside London have pages too, but the spine's grey bar is "the spread of
    London boroughs": an authority outside London must not stretch it."""
    from fhub.report import data as report_data
    from fhub.report.scorecard import domain_verdicts

    published = build_sample_published(tmp_path / "warehouse.duckdb")
    con = duckdb.connect(str(published))
    metric, period = con.execute(
        "select metric_id, max(period) from indicator_values where geography_code = ? and value is not null "
        "group by 1 order by 1 limit 1", [HACKNEY]).fetchone()
    london_max = con.execute(
        "select max(value) from indicator_values where geography_level = 'borough' and metric_id = ? and period = ?"
        " and coalesce(breakdown_type, 'total') = 'total'", [metric, period]).fetchone()[0]
    con.execute("alter table boroughs add column is_london boolean default true")  # as dim_boroughs publishes it
    con.execute("insert into boroughs (borough_code, borough_name, is_london) values ('E06000001', 'Hartlepool', false)")
    con.execute("create temp table extra as select * from indicator_values where geography_level = 'borough' "
                "and metric_id = ? and period = ? and coalesce(breakdown_type, 'total') = 'total' limit 1",
                [metric, period])
    con.execute("update extra set geography_code = 'E06000001', value = ?", [float(london_max) * 10 + 1000])
    con.execute("insert into indicator_values select * from extra")
    con.close()

    data = report_data.load(published)
    assert data.non_london == {"E06000001"}
    rows, _, _ = domain_verdicts(data, HACKNEY)
    spine = next(r for r in rows if r.label in (data.metrics[metric].get("metric_name"), metric))
    assert spine.maximum == pytest.approx(float(london_max))
