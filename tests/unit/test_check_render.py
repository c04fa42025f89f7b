"""The pre-send check page renders landing's receipt with landing's renderer, headings moved under its own."""

from __future__ import annotations

from fhub.check.render import receipt_html
from fhub.landing.receipt_view import to_html

RECEIPT = ("# Delivery receipt — hackney\n\n## Summary\n\n| a | b |\n|---|---|\n| <script>x</script> | [l](http://e) |\n")


def test_the_check_page_and_the_receipt_page_render_the_receipt_alike():
    page, fragment = to_html(RECEIPT, "t"), receipt_html(RECEIPT)
    for html in (page, fragment):
        assert '<div class="table-wrap" role="region" aria-label="Receipt table" tabindex="0"><table>' in html
        assert "<script>" not in html and "&lt;script&gt;" in html  # raw HTML never rendered
        assert "<a " not in html and "href=\"http" not in html  # no links
    assert "<h1>" in page and "<h2>Summary</h2>" in page
    assert "<h3>" in fragment and "<h4>Summary</h4>" in fragment and "<h1>" not in fragment
