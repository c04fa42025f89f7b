"""The performance-cycle pack on the demo (issue 17), in headless Chromium: the printed borough pack fits 12 A4
pages with its running header, axe-core finds no serious or critical violation, each page carries one run id,
a borough page shows its statistical neighbours (spine marker, legend, scorecard columns) and trend marks with
their key, the London tile map holds all 33 boroughs, nothing overflows the page body at 390 px, and the Data Docs index
lists its suites without scripts. Screenshots are kept in ``test-artifacts/screenshots/pack/``.

The demo build is the session's ``baseline`` nightly (shared with the e2e tests), or the published file named
by ``FHUB_REPORT_PUBLISHED`` (with ``FHUB_DATA_DOCS_DIR`` for its Data Docs). axe-core is the pinned copy
``make browser-deps`` fetched into ``.tools/axe-core/``; everything runs offline over file://.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from fhub.report import build_report
from fhub.report.datadocs_index import write_data_docs_index
from fhub.report.offline_docs import make_data_docs_offline
from fhub.report.pdf import CHROMIUM_ARGS, chromium_path, print_pdfs

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("FHUB_TEST_ARTIFACTS", PROJECT / "test-artifacts")) / "screenshots" / "pack"
AXE_VERSION = "4.14.1"  # the Makefile's AXE_VERSION
AXE = PROJECT / ".tools" / "axe-core" / AXE_VERSION / "axe.min.js"
RUN_ID = re.compile(r"\b\d{8}T\d{6}Z-[0-9a-f]{6}\b|\bsample-run\b")
MAX_PAGES = 12


@pytest.fixture(scope="session")
def demo_pack(tmp_path_factory, request) -> dict:
    if chromium_path() is None:
        pytest.skip("Chromium is not installed: make browser-deps")
    pytest.importorskip("pypdf")
    root = tmp_path_factory.mktemp("pack")
    given = os.environ.get("FHUB_REPORT_PUBLISHED")
    if given:
        published = Path(given)
        docs_src = os.environ.get("FHUB_DATA_DOCS_DIR")
        docs_src = Path(docs_src) if docs_src else None
    else:
        baseline = request.getfixturevalue("baseline")
        published = baseline["data"] / "published" / "warehouse.duckdb"
        docs_src = baseline["data"] / "reports" / "data-docs"
    out = root / "reports" / "performance"
    pages = build_report(published, out)
    pdfs = print_pdfs(pages, out)
    assert not pdfs.skipped_reason, pdfs.skipped_reason
    docs = root / "reports" / "data-docs"
    if docs_src is not None and docs_src.exists():
        shutil.copytree(docs_src, docs)
        make_data_docs_offline(docs)
        write_data_docs_index(docs)
    return {"pages": pages, "pdfs": pdfs.written, "docs": docs, "seconds": pdfs.seconds}


@pytest.fixture(scope="module")
def browser(demo_pack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _offline_page(browser, width: int, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    requests: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(("file:", "data:"))
                                         else (requests.append(route.request.url), route.abort())))
    return context, context.new_page(), requests


def test_printed_packs_fit_twelve_pages_with_a_running_header(demo_pack):
    from pypdf import PdfReader

    assert len(demo_pack["pdfs"]) == len(demo_pack["pages"])
    for pdf in demo_pack["pdfs"]:
        reader = PdfReader(str(pdf))
        n = len(reader.pages)
        if pdf.name.startswith("borough-"):
            assert n <= MAX_PAGES, f"{pdf.name} prints to {n} A4 pages (at most {MAX_PAGES})"
        for i, page in enumerate(reader.pages, start=1):
            text = page.extract_text()
            assert f"page {i} of {n}" in text, f"{pdf.name} page {i}: no running page number"
            assert "cycle" in text, f"{pdf.name} page {i}: no cycle in the running header"
            assert len(set(RUN_ID.findall(text))) == 1, f"{pdf.name} page {i}: run ids {set(RUN_ID.findall(text))}"
    html = demo_pack["pages"][1].read_text()
    assert f'href="{demo_pack["pages"][1].with_suffix(".pdf").name}"' in html  # linked from the page


def test_pages_one_run_id_axe_clean_and_no_overflow_at_390px(demo_pack, browser):
    if not AXE.exists():
        pytest.skip(f"axe-core {AXE_VERSION} not fetched: make browser-deps")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages = demo_pack["pages"]
    borough = next(p for p in pages if "E09000012" in p.name)  # Hackney sends data in the demo
    quiet = next((p for p in pages if "E09000001" in p.name), pages[-1])  # City of London: sends nothing
    problems: list[str] = []
    for width in (1366, 390):
        context, page, requests = _offline_page(browser, width)
        for html in (pages[0], borough, quiet):
            page.goto(html.resolve().as_uri(), wait_until="load")
            text = page.inner_text("body")
            ids = set(RUN_ID.findall(text))
            if len(ids) != 1:
                problems.append(f"{html.name} @{width}: run ids on the page {ids}")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{html.name} @{width}: the page body overflows by {overflow}px")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            for v in result["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{html.name} @{width}: axe {v['impact']} {v['id']}: {v['help']} "
                                    f"({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})")
            page.screenshot(path=str(ARTIFACTS / f"{html.stem}-{width}.png"), full_page=width == 390)
        if requests:
            problems.append(f"requests left the machine: {requests[:3]}")
        context.close()
    assert not problems, "\n".join(problems)


def test_borough_page_has_statistical_neighbours_and_trend_marks(demo_pack, browser):
    """Hackney (which sends data, and whose statistical neighbours DfE publishes EYFSP figures for): the spine
    chart marks the neighbours with a legend naming the model, the scorecard has their column, comparison and
    benchmark, every trend cell is a mark with words and the key beside the table and the chart explains the
    marks; the definitions table gives the release dates of the published sources."""
    hackney = next(p for p in demo_pack["pages"] if "E09000012" in p.name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page, _ = _offline_page(browser, 1366)
    page.goto(hackney.resolve().as_uri(), wait_until="load")
    spine = page.locator("section.section-scorecard svg[data-chart$='-spine']")
    assert spine.locator("g.comparator[data-comparator='neighbours']").count() >= 1
    assert re.search(r"Statistical neighbours \(DfE 20(21|25) model\)", spine.locator(".legend-neighbours").text_content())
    table = page.locator("section.section-scorecard table").first
    heads = table.locator("thead th").all_text_contents()
    for column in ("London", "England", "Statistical neighbours", "Compared with statistical neighbours",
                   "Trend", "Statistical neighbours benchmark"):
        assert column in heads, column
    rows = table.evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))")
    trend, neighbours = heads.index("Trend"), heads.index("Statistical neighbours")
    assert rows and all(re.fullmatch(r"[↑↓→–] [a-z ]+|[cxz]", r[trend]) for r in rows), [r[trend] for r in rows]
    assert all(r[neighbours].strip() and r[neighbours] not in ("None", "nan") for r in rows)
    assert any(re.fullmatch(r"\d+(\.\d+)?", r[neighbours]) for r in rows)  # DfE's figure for the EYFSP metrics
    keys = page.locator("section.section-scorecard .symbols-key").all_text_contents()
    assert any("trend" in k for k in keys) and any("significantly better" in k for k in keys)
    definitions = page.locator("section.section-definitions")
    assert "Published on" in definitions.text_content() and "Next update" in definitions.text_content()
    spine.screenshot(path=str(ARTIFACTS / "borough-spine.png"))
    context.close()


def test_london_page_tile_map_holds_all_33_boroughs(demo_pack, browser):
    context, page, _ = _offline_page(browser, 1366)
    page.goto(demo_pack["pages"][0].resolve().as_uri(), wait_until="load")
    codes = page.eval_on_selector_all("svg[data-chart='london-map'] g.tile", "els => els.map(e => e.dataset.code)")
    assert len(set(codes)) == 33 and all(c.startswith("E09") for c in codes)
    assert page.locator("svg[data-chart='london-areas']").count() == 1  # the area comparison with intervals
    legend = page.inner_text("section.section-map")
    assert "Symbols:" in legend and "significantly better" in legend
    page.locator("section.section-map").screenshot(path=str(ARTIFACTS / "london-map.png"))
    context.close()


def test_data_docs_index_lists_suites_without_scripts(demo_pack, browser):
    docs = demo_pack["docs"]
    if not (docs / "index.html").exists():
        pytest.skip("no Data Docs in this demo build")
    context, page, requests = _offline_page(browser, 1366)
    page.goto((docs / "index.html").resolve().as_uri(), wait_until="load")
    assert page.locator("script").count() == 0
    suites = sorted(p.stem for p in (docs / "expectations").glob("*.html"))
    assert suites
    listed = page.eval_on_selector_all("#suite-list tbody th a", "els => els.map(e => e.textContent)")
    assert sorted(listed) == suites
    links = page.eval_on_selector_all("a[href^='validations/']", "els => els.map(e => e.getAttribute('href'))")
    assert links and all((docs / href).exists() for href in links)
    assert not requests
    page.screenshot(path=str(ARTIFACTS / "data-docs-index.png"), full_page=True)
    context.close()


def test_what_changed_is_collapsed_on_screen_and_printed_open(tmp_path, browser):
    """The sample has 138 revised values for Hackney (with breakdowns): the page shows the ten largest in a
    collapsed box; the printed pack shows them open; the download has all 138."""
    from pypdf import PdfReader

    from fhub.report.sample import build_sample_published

    pages = build_report(build_sample_published(tmp_path / "w.duckdb"), tmp_path / "out")
    hackney = next(p for p in pages if "E09000012" in p.name)
    context, page, _ = _offline_page(browser, 1366)
    page.goto(hackney.resolve().as_uri(), wait_until="load")
    box = page.locator("section.section-changes details")
    assert box.count() == 1 and box.get_attribute("open") is None
    assert not page.locator("section.section-changes table").is_visible()
    context.close()
    [pdf] = print_pdfs([hackney], tmp_path / "out").written
    text = " ".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Deliveries behind it" in text and "sex: female" in text
    csv_rows = (tmp_path / "out" / "data" / f"{hackney.stem}-changes.csv").read_text().splitlines()
    assert len(csv_rows) == 139
