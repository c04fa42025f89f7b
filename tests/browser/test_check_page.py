"""The pre-send check page in headless Chromium: an officer picks the borough, chooses files, reads the
verdict, the per-file summary and the receipt, and can download the receipt - all from 127.0.0.1, nothing
else requested. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from fhub.check.server import create_app
from fhub.report.pdf import CHROMIUM_ARGS, chromium_path
from fhub.settings import PROJECT_DIR, Paths
from tests.browser.test_report_pages import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def check_page(tmp_path_factory):
    if chromium_path() is None:
        pytest.skip("Chromium not found: install it with `apt-get install -y chromium` (make setup).")
    pytest.importorskip("playwright.sync_api", reason="playwright is in the dev dependency group")
    import uvicorn

    from fhub_dev.demo import generate

    root = tmp_path_factory.mktemp("check-page")
    generate(root / "demo", scale="tiny", seed=7, boroughs=["hackney"], real_data_dir=None)
    temp_root = root / "temp"
    temp_root.mkdir()
    app = create_app(Paths(project=PROJECT_DIR, data=root / "data"), max_upload_bytes=5_000_000,
                     temp_root=temp_root)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the check page did not start"
    yield {"url": f"http://127.0.0.1:{port}/", "demo": root / "demo" / "hackney", "temp": temp_root,
           "data": root / "data", "root": root}
    server.should_exit = True
    thread.join(timeout=10)


def test_officer_uploads_files_and_reads_the_receipt(check_page):
    from playwright.sync_api import sync_playwright

    demo = check_page["demo"]
    upload = check_page["root"] / "upload"
    upload.mkdir()
    clean = shutil.copy2(demo / "hackney_contacts_2025-05.csv", upload)
    lines = (demo / "hackney_contacts_2025-06.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("HAC-0", "HAC-9", 1)  # a hub that does not exist: one rejected row
    rejected = upload / "hackney_contacts_2025-06.csv"
    rejected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("request", lambda r: problems.append(f"network request: {r.url}")
                    if not r.url.startswith((check_page["url"], "data:")) else None)
            page.goto(check_page["url"])
            assert page.locator("h1").inner_text() == "Check a file before you send it"
            page.get_by_label("Borough").select_option("hackney")
            page.get_by_label("File or files to check").set_input_files([str(clean), str(rejected)])
            page.screenshot(path=str(shots / "check-form.png"), full_page=True)
            page.get_by_role("button", name="Check the files", exact=True).click()
            page.wait_for_load_state()
            assert page.locator("h1").count() == 1
            assert page.locator("h1").inner_text() == "Would land, with problems to fix"
            rows = page.locator("#summary tbody tr").all_inner_texts()
            assert len(rows) == 2
            assert "contacts 2025-05" in rows[0] and "would land cleanly" in rows[0]
            assert "contacts 2025-06" in rows[1] and "1 row rejected" in rows[1]
            receipt = page.locator("section.receipt")
            assert "The receipt the nightly run would write" in receipt.locator("h2").inner_text()
            assert "HubCode" in receipt.inner_text() and "not a known family hub" in receipt.inner_text()
            with page.expect_download() as download:
                page.get_by_role("link", name="Download every problem row (CSV)").click()
            assert "HubCode" in Path(download.value.path()).read_text(encoding="utf-8")
            page.screenshot(path=str(shots / "check-result.png"), full_page=True)
            # a narrow phone screen: the page body never scrolls sideways (tables scroll in their own box)
            page.set_viewport_size({"width": 390, "height": 844})
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            # keyboard: the skip link is the first stop and leads to the main content
            page.goto(check_page["url"])
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        finally:
            browser.close()
    assert problems == []
    assert list(check_page["temp"].iterdir()) == [] and not check_page["data"].exists()
