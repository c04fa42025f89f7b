"""Make Great Expectations Data Docs readable offline.

GX 1.x pages load Bootstrap, bootstrap-table, jQuery, popper, Font Awesome and Vega from CDNs
(maxcdn/stackpath/unpkg/cdnjs/jsdelivr/code.jquery.com). Offline, those requests fail and the pages lose
their styling (and log console errors). :func:`make_data_docs_offline` rewrites every generated ``.html``:

* a CDN stylesheet is pointed at a local copy when ``vendor_dir`` holds a file with the same name
  (copied to ``<docs>/static/offline-vendor/``); otherwise the ``<link>`` is removed;
* CDN scripts are rewritten only when ``vendor_dir`` holds ALL of a page's scripts (a partial set would
  break the page's inline scripts); otherwise they are all removed and a tiny inline shim makes the page's
  inline ``$(...)``/``jQuery`` calls harmless no-ops;
* remote images (GX's logo URLs carry the data context id) and CSS ``url(https://…)`` are removed;
* local ``<link>``s pointing at files that do not exist are dropped (GX writes a wrong favicon path on
  deep validation pages);
* when anything was removed, a small inline stylesheet is injected so tables, headings and navigation stay
  readable.

The project ships no vendored copies, so by default pages are *stripped + inline stylesheet* (the content is
server-rendered HTML, so every expectation and result is still there; Vega charts and table sorting/filtering
are not). Nothing is downloaded, ever. Running it twice is harmless.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "<!-- fhub: data docs made offline -->"
_EXTERNAL = r"(?:https?:)?//[^\"'\s>]+"
_LINK = re.compile(rf"<link\b[^>]*?\bhref=[\"']({_EXTERNAL})[\"'][^>]*>", re.IGNORECASE)
_SCRIPT = re.compile(rf"<script\b[^>]*?\bsrc=[\"']({_EXTERNAL})[\"'][^>]*>\s*</script>", re.IGNORECASE)
_IMG = re.compile(rf"<img\b[^>]*?\bsrc=[\"']({_EXTERNAL})[\"'][^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.IGNORECASE)
_CSS_URL = re.compile(rf"url\(\s*[\"']?({_EXTERNAL})[\"']?\s*\)", re.IGNORECASE)
_LOCAL_LINK = re.compile(r"<link\b[^>]*?\bhref=[\"'](?!(?:https?:)?//|data:|#)([^\"']+)[\"'][^>]*>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)

OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;margin:0;line-height:1.45}
.container,.container-fluid{max-width:1200px;margin:0 auto;padding:0 16px}
nav,.navbar{background:#0b2e4f;color:#fff;padding:8px 16px}nav a,.navbar a{color:#fff}
a{color:#00508a}h1,h2,h3,h4,h5{line-height:1.2;margin:.8em 0 .4em}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.92em}
th,td{border:1px solid #d0d0d0;padding:4px 6px;text-align:left;vertical-align:top}thead th{background:#eef2f6}
.card{border:1px solid #d0d0d0;margin:8px 0;padding:8px}.card-header{font-weight:600;margin-bottom:6px}
.row{display:flex;flex-wrap:wrap;gap:12px}.col,[class*="col-"]{flex:1 1 280px;min-width:0}
.badge{display:inline-block;padding:0 6px;border:1px solid #999;border-radius:3px;font-size:.85em}
.text-danger,.table-danger{color:#D55E00}.text-success{color:#0072B2}
.d-none,.sr-only{position:absolute;left:-9999px}.collapse:not(.show){display:block}
code,pre{background:#f5f5f5;padding:1px 3px;white-space:pre-wrap}
.fixed-bottom,.fixed-top,.sticky-top{position:static!important}
.fa-times::before{content:"\\2717  failed";color:#D55E00;font-style:normal;font-weight:600}
.fa-check::before,.fa-check-circle::before{content:"\\2713  passed";color:#0072B2;font-style:normal;font-weight:600}
.fa-exclamation-triangle::before{content:"! warning";font-style:normal}
.fa-question-circle::before{content:"?";font-style:normal}
""".strip()

#: Makes inline ``$(...).x().y()`` / ``jQuery`` calls no-ops when jQuery was stripped.
JQUERY_SHIM = (
    "(function(){if(window.jQuery)return;var f=new Proxy(function(){},{get:function(t,k){"
    "return k===Symbol.toPrimitive?function(){return ''}:f},apply:function(){return f}});"
    "window.$=window.jQuery=f;window.vegaEmbed=function(){return Promise.resolve()};})();"
)


@dataclass
class OfflineResult:
    pages: int = 0
    rewritten: dict[str, str] = field(default_factory=dict)  # url -> local relative path
    stripped: set[str] = field(default_factory=set)


def _basename(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _offline_page(
    text: str, rel_prefix: Path, vendor_files: dict[str, Path], target: Path, result: OfflineResult
) -> str:
    removed = False

    def local(url: str) -> str | None:
        src = vendor_files.get(_basename(url))
        if src is None:
            return None
        target.mkdir(parents=True, exist_ok=True)
        if not (target / src.name).exists():
            shutil.copyfile(src, target / src.name)
        href = (rel_prefix / "static" / "offline-vendor" / src.name).as_posix()
        result.rewritten[url] = href
        return href

    def link_sub(m: re.Match) -> str:
        nonlocal removed
        href = local(m.group(1))
        if href:
            return m.group(0).replace(m.group(1), href)
        removed = True
        result.stripped.add(m.group(1))
        return ""

    text = _LINK.sub(link_sub, text)
    scripts = _SCRIPT.findall(text)
    all_local = bool(scripts) and all(vendor_files.get(_basename(u)) for u in scripts)

    def script_sub(m: re.Match) -> str:
        nonlocal removed
        if all_local:
            return m.group(0).replace(m.group(1), local(m.group(1)) or m.group(1))
        removed = True
        result.stripped.add(m.group(1))
        return ""

    text = _SCRIPT.sub(script_sub, text)

    def img_sub(m: re.Match) -> str:
        nonlocal removed
        removed = True
        result.stripped.add(m.group(1))
        alt = _ALT.search(m.group(0))
        return f'<span class="offline-img">{alt.group(1)}</span>' if alt and alt.group(1) else ""

    text = _IMG.sub(img_sub, text)  # remote images (GX logos carry a tracking query string)
    text = _CSS_URL.sub(lambda m: (result.stripped.add(m.group(1)), "none")[1], text)
    if removed and MARKER not in text:
        inject = f"{MARKER}\n<style>{OFFLINE_CSS}</style>\n<script>{JQUERY_SHIM}</script>\n"
        if _HEAD_END.search(text):
            text = _HEAD_END.sub(lambda _m: inject + "</head>", text, count=1)
        else:
            text = inject + text
    return text


def make_data_docs_offline(docs_dir: Path, vendor_dir: Path | None = None) -> OfflineResult:
    """Rewrite every HTML page under ``docs_dir`` so it renders without network access."""
    docs_dir = Path(docs_dir)
    result = OfflineResult()
    if not docs_dir.exists():
        return result
    vendor_files = {p.name: p for p in Path(vendor_dir).rglob("*") if p.is_file()} if vendor_dir else {}
    target = docs_dir / "static" / "offline-vendor"
    for page in sorted(docs_dir.rglob("*.html")):
        original = page.read_text(encoding="utf-8", errors="replace")
        depth = len(page.relative_to(docs_dir).parts) - 1
        rel_prefix = Path(*([".."] * depth)) if depth else Path(".")
        text = _offline_page(original, rel_prefix, vendor_files, target, result)
        # GX links the favicon with a wrong relative path on deep validation pages: drop links to nothing
        text = _LOCAL_LINK.sub(
            lambda m, _dir=page.parent: m.group(0) if (_dir / m.group(1).split("?")[0]).exists() else "", text
        )
        if text != original:
            page.write_text(text, encoding="utf-8")
            result.pages += 1
    return result
