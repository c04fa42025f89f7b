"""Every report page opened in headless Chromium: no console errors, every chart rendered, a screenshot each.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``make setup`` when missing), driven by the
``playwright`` package from the dev dependency group. Pages are opened over file://; nothing leaves the
machine (Chromium's background networking is switched off and any non-file request fails the test).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fhub.dq import PublishDecision, WithheldScope, apply_withholdings
from fhub.report import build_report
from fhub.report.pdf import CHROMIUM_ARGS, chromium_path
from fhub.report.sample import build_sample_published

pytestmark = pytest.mark.browser

CHROMIUM = chromium_path()  # the one the report's PDFs are printed with (FHUB_CHROMIUM, PATH, /usr/bin)
ARTIFACTS = Path(os.environ.get("FHUB_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


#: The CDN head GX 1.24 writes into every Data Docs page (plus its remote logo), for when no run's docs are given.
GX_HEAD = """<!DOCTYPE html><html><head><title>Data Docs</title>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">
<link rel="stylesheet" href="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css">
<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css">
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"></script>
<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js"></script>
<script src="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
</head><body><nav><img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"
 alt="Great Expectations"></nav><table><tr><td><i class="fas fa-times text-danger"></i></td></tr></table>
<script>$(document).ready(function(){ $('[data-toggle="tooltip"]').tooltip(); $('#t').bootstrapTable(); });
vegaEmbed('#c', {}).then(function(){});</script></body></html>"""


@pytest.fixture(scope="module")
def report_pages(tmp_path_factory, withholding_plan) -> list[Path]:
    if CHROMIUM is None:
        pytest.skip("Chromium not found: install it with `apt-get install -y chromium` (make setup).")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev dependency group")
    del playwright
    root = tmp_path_factory.mktemp("report")
    demo = os.environ.get("FHUB_REPORT_PUBLISHED")  # a real demo run's published file, when the caller has one
    if demo:
        published = Path(demo)
    else:
        published = build_sample_published(root / "published" / "warehouse.duckdb")
        import duckdb

        con = duckdb.connect(str(published))
        apply_withholdings(con, PublishDecision(block_all=False, withheld_scopes=[
            WithheldScope("E09000012", "eyfsp", "2023/24", ("12 pupils have no birth month",))]), withholding_plan)
        con.close()
    return build_report(published, root / "reports" / "performance", run_summary="browser test")


def test_every_page_renders_without_console_errors(report_pages):
    from playwright.sync_api import sync_playwright

    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
            page.on("request", lambda r: errors.append(f"network request: {r.url}")
                    if not r.url.startswith(("file://", "data:")) else None)
            for html in report_pages:
                errors.clear()
                page.goto(html.resolve().as_uri(), wait_until="load")
                charts = page.eval_on_selector_all(
                    "svg.chart",
                    "els => els.map(e => ({id: e.dataset.chart, w: e.getBoundingClientRect().width,"
                    " h: e.getBoundingClientRect().height, n: e.querySelectorAll('*').length}))",
                )
                assert charts, f"{html.name}: no charts"
                for c in charts:
                    if not (c["w"] > 50 and c["h"] > 50 and c["n"] > 3):
                        problems.append(f"{html.name}: chart {c['id']} is empty or not rendered ({c})")
                # every chart sits in a figure with a caption and a data table behind it
                figures = page.eval_on_selector_all(
                    "figure", "els => els.map(f => [!!f.querySelector('svg'), !!f.querySelector('figcaption'),"
                    " !!f.querySelector('table')])")
                for has_svg, has_caption, has_table in figures:
                    if has_svg and not (has_caption and has_table):
                        problems.append(f"{html.name}: a figure lacks its caption or data table")
                assert page.locator("h1").count() == 1, f"{html.name}: needs exactly one h1"
                page.screenshot(path=str(shots / f"{html.stem}.png"), full_page=True)
                problems.extend(f"{html.name}: {e}" for e in errors)
            # the performance officer's three questions, on a borough page
            page.goto(next(p for p in report_pages if "E09000012" in p.name).resolve().as_uri())
            assert "75" in page.locator("#glance-gld").inner_text()
            assert page.locator("#glance-weakest .big").inner_text().strip()
            problems_text = page.locator("#glance-problems").inner_text()
            if os.environ.get("FHUB_REPORT_PUBLISHED"):  # a real run may have fewer (or no) open problems
                assert page.locator("#glance-problems li").count() == 3 or "problem" in problems_text.lower()
            else:  # the sample has four open Hackney problems: the top three are listed
                assert page.locator("#glance-problems li").count() == 3
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


def test_download_links_resolve(report_pages):
    for html in report_pages:
        text = html.read_text(encoding="utf-8")
        for ext in ("csv", "xlsx"):
            for href in {part.split('"')[0] for part in text.split('href="data/')[1:] if f".{ext}" in part.split('"')[0]}:
                assert (html.parent / "data" / href).exists(), f"{html.name} links a missing download data/{href}"


def test_data_docs_render_offline(tmp_path):
    """GX Data Docs after make_data_docs_offline: no request leaves the machine, no console errors.

    Uses the run's Data Docs when FHUB_DATA_DOCS_DIR points at them, else a page with GX 1.x's CDN head.
    """
    if CHROMIUM is None:
        pytest.skip("Chromium not found: install it with `apt-get install -y chromium`.")
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    from fhub.report.offline_docs import make_data_docs_offline

    given = os.environ.get("FHUB_DATA_DOCS_DIR")
    if given:
        docs = tmp_path / "data-docs"
        shutil.copytree(given, docs)
    else:
        docs = tmp_path / "data-docs"
        docs.mkdir()
        (docs / "index.html").write_text(GX_HEAD)
    make_data_docs_offline(docs)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.on("request", lambda r: problems.append(f"network request: {r.url}")
                    if not r.url.startswith(("file://", "data:")) else None)
            for html in sorted(docs.rglob("*.html")):
                page.goto(html.as_uri(), wait_until="load")
                assert page.locator("table").count() > 0
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
