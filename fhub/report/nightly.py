"""Everything the nightly run writes for people: the performance-cycle report and offline-readable Data Docs.

Kept apart from :mod:`fhub.report` (the page builder) so the flow and the CLI share one entry point.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from fhub.settings import Paths

log = logging.getLogger(__name__)


def build_all_reports(paths: Paths, run_id: str | None = None, pdfs: bool = True,  # noqa: ARG001 - for logs
                      progress: Callable[[str], None] | None = None) -> list[Path]:
    """The HTML pages (London first, then a page per borough), their A4 PDFs (one Chromium session for all;
    skipped with a logged line when Chromium is absent) and the Data Docs made readable offline with our
    static index. Returns the HTML and PDF paths."""
    from fhub.report.datadocs_index import write_data_docs_index
    from fhub.report.offline_docs import make_data_docs_offline

    summary = paths.reports / "run-summary.md"
    written = build_pages(paths.published_db, paths.reports / "performance",
                          run_summary=summary.read_text() if summary.exists() else None, pdfs=pdfs, progress=progress)
    if paths.gx_docs.exists():
        make_data_docs_offline(paths.gx_docs)
        write_data_docs_index(paths.gx_docs)
    return written


def build_pages(published_db: Path, out_dir: Path, run_summary: object = None, pdfs: bool = True,
                progress: Callable[[str], None] | None = None) -> list[Path]:
    """The HTML pages of ``published_db`` in ``out_dir`` (London first) and, unless ``pdfs`` is false, their A4
    PDFs (skipped with one line when Chromium is absent). Returns the HTML and PDF paths."""
    from fhub.report import build_report
    from fhub.report.pdf import print_pdfs

    pages = build_report(published_db, out_dir, run_summary=run_summary)
    written = list(pages)
    if pdfs:
        result = print_pdfs(pages, out_dir)
        say = progress or log.info
        if result.skipped_reason:
            say(f"report PDFs: {result.skipped_reason}")
        else:
            say(f"report PDFs: {len(result.written)} printed in {result.seconds:.1f} s")
        written += result.written
    return written
