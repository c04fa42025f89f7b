"""Everything the nightly run writes for people: the performance-cycle report and offline-readable Data Docs.

Kept apart from :mod:`fhub.report` (the page builder) so the flow and the CLI share one entry point.
"""

from __future__ import annotations

from pathlib import Path

from fhub.settings import Paths


def build_all_reports(paths: Paths, run_id: str | None = None) -> list[Path]:  # noqa: ARG001 - for logs
    from fhub.report import build_report

    summary = paths.reports / "run-summary.md"
    pages = build_report(
        paths.published_db,
        paths.reports / "performance",
        run_summary=summary.read_text() if summary.exists() else None,
    )
    try:
        from fhub.report.offline_docs import make_data_docs_offline
    except ImportError:  # pragma: no cover - until the offline rewriter exists
        return pages
    if paths.gx_docs.exists():
        make_data_docs_offline(paths.gx_docs)
    return pages
