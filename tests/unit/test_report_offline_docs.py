"""GX Data Docs made readable offline: CDN assets rewritten to local copies or stripped, never fetched."""

from __future__ import annotations

from fhub.report.offline_docs import MARKER, make_data_docs_offline

GX_HEAD = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">
<link rel="stylesheet" type="text/css" href="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css">
<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css">
<link rel="stylesheet" href="static/styles/data_docs_default_styles.css">
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js"></script>
<style>.x{background:url("https://example.org/bg.png")}</style>
</head><body><nav><img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&dataContextId=abc" alt="Great Expectations"></nav>
<a href="https://greatexpectations.io">GX</a><table><tr><td>ok</td></tr></table>
<script>$(document).ready(function(){ $('#t').bootstrapTable(); });</script></body></html>"""


def _docs(tmp_path):
    docs = tmp_path / "data-docs"
    (docs / "validations" / "s").mkdir(parents=True)
    (docs / "index.html").write_text(GX_HEAD)
    (docs / "validations" / "s" / "run.html").write_text(GX_HEAD)
    (docs / "static" / "styles").mkdir(parents=True)
    (docs / "static" / "styles" / "data_docs_default_styles.css").write_text("body{}")
    return docs


def test_strips_cdn_assets_and_injects_inline_styles(tmp_path):
    docs = _docs(tmp_path)
    result = make_data_docs_offline(docs)
    assert result.pages == 2 and not result.rewritten
    for page in (docs / "index.html", docs / "validations" / "s" / "run.html"):
        text = page.read_text()
        assert "bootstrapcdn" not in text and "unpkg" not in text and "code.jquery.com" not in text
        assert "amazonaws" not in text and "example.org" not in text  # tracking logo and css url() gone
        assert 'href="https://greatexpectations.io"' in text  # plain links are not fetched: kept
        assert text.count(MARKER) == 1 and "<style>" in text and "window.$=window.jQuery" in text
        assert '<span class="offline-img">Great Expectations</span>' in text
    # local assets that exist are kept; a local link to nothing (GX's deep-page favicon bug) is dropped
    assert 'href="static/styles/data_docs_default_styles.css"' in (docs / "index.html").read_text()
    assert "data_docs_default_styles" not in (docs / "validations" / "s" / "run.html").read_text()
    again = make_data_docs_offline(docs)  # idempotent
    assert again.pages == 0 and (docs / "index.html").read_text().count(MARKER) == 1


def test_rewrites_to_local_copies_when_all_scripts_are_vendored(tmp_path):
    docs = _docs(tmp_path)
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    for name in ("bootstrap.min.css", "jquery-3.7.1.min.js", "bootstrap.min.js"):
        (vendor / name).write_text("/* local */")
    result = make_data_docs_offline(docs, vendor_dir=vendor)
    top = (docs / "index.html").read_text()
    deep = (docs / "validations" / "s" / "run.html").read_text()
    assert 'href="static/offline-vendor/bootstrap.min.css"' in top
    assert 'src="static/offline-vendor/jquery-3.7.1.min.js"' in top
    assert 'src="../../static/offline-vendor/bootstrap.min.js"' in deep
    assert (docs / "static" / "offline-vendor" / "jquery-3.7.1.min.js").exists()
    assert "bootstrap-table.min.css" not in top and MARKER in top  # the one without a local copy is stripped
    assert "window.$=window.jQuery" in top  # shim is harmless when jQuery is present (it returns early)
    assert len(result.rewritten) == 3


def test_missing_folder_is_a_no_op(tmp_path):
    assert make_data_docs_offline(tmp_path / "absent").pages == 0
