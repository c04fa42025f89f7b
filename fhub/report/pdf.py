"""Print report pages to A4 PDFs with headless Chromium (Debian's ``chromium``, driven by ``playwright``).

All pages are printed in ONE browser session (starting Chromium costs about a second; printing a page a
fraction of that). Fully offline: pages are opened over ``file://`` and any other request is refused before it
leaves the machine. The page's own print stylesheet sets the paper, the margins and the running header
(borough, cycle, run id, page x of y) with CSS page-margin boxes, so a user printing from their browser gets
the same pack as the nightly's PDF.
"""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """Debian's Chromium (``FHUB_CHROMIUM`` overrides), or None when it is not installed."""
    given = os.environ.get("FHUB_CHROMIUM")
    for candidate in (given, shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@dataclass
class PdfResult:
    written: list[Path]
    seconds: float
    skipped_reason: str | None = None


def pdf_name(html: Path) -> str:
    return html.with_suffix(".pdf").name


def print_pdfs(pages: list[Path], out_dir: Path, chromium: str | None = None) -> PdfResult:
    """Print each HTML page to ``out_dir/<page>.pdf``; returns what was written and how long it took.

    Never raises for a missing browser: the report is still useful without PDFs, so the result says why none
    were made (the caller logs it). Runs in its own thread: playwright's sync API refuses to run inside a
    thread with a running event loop (as a flow's task may be)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fhub-pdf") as pool:
        return pool.submit(_print_pdfs, pages, out_dir, chromium).result()


def _print_pdfs(pages: list[Path], out_dir: Path, chromium: str | None) -> PdfResult:
    started = time.perf_counter()
    chromium = chromium or chromium_path()
    if chromium is None:
        return PdfResult([], 0.0, "Chromium is not installed (make browser-deps): no PDFs this run")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a locked dependency
        return PdfResult([], 0.0, "playwright is not installed: no PDFs this run")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                          else route.abort())
            page = context.new_page()
            page.emulate_media(media="print")
            for html in pages:
                page.goto(html.resolve().as_uri(), wait_until="load")
                target = out_dir / pdf_name(html)
                tmp = target.with_suffix(".pdf.tmp")
                page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True, outline=True,
                         tagged=True)
                os.replace(tmp, target)
                written.append(target)
        finally:
            browser.close()
    return PdfResult(written, time.perf_counter() - started)
