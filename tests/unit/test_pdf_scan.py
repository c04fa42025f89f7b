"""The privacy scan reads a printed report's text piece by piece: an identifier in a table cell is found; a
chart's axis labels (0 25 50 75 100) are separate pieces, not a spaced NHS number."""

from __future__ import annotations

import pytest

from fhub.privacy.artefacts import scan_pdf
from fhub.report.pdf import chromium_path, print_pdfs

pytestmark = pytest.mark.browser


def test_pdf_text_is_scanned_piece_by_piece(tmp_path):
    if chromium_path() is None:
        pytest.skip("Chromium is not installed: make browser-deps")
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><body><table><tr><td>call 943 476 5919</td></tr></table>'
                    '<svg width="400" height="40">' + "".join(
                        f'<text x="{20 + 60 * i}" y="20">{t}</text>' for i, t in enumerate((0, 25, 50, 75, 100)))
                    + "</svg></body></html>", encoding="utf-8")
    [pdf] = print_pdfs([page], tmp_path).written
    findings = scan_pdf(pdf, "page.pdf")
    assert [f.kind for f in findings] == ["nhs_number"] and findings[0].shape == "NNN NNN NNNN"
