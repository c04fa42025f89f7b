"""Our own static index of the GX Data Docs: every expectation suite and every validation result, as plain
links in a table (no scripts), so the index works offline.

GX 1.x draws its index list with a script (bootstrap-table over CDN jQuery); offline that list is empty.
:func:`write_data_docs_index` keeps GX's page as ``gx-index.html`` and writes ``index.html`` in its place:
one table of suites (with their expectation pages) and one of validation runs, newest first, with the status
GX printed on each validation page (``Succeeded`` / ``Failed``). Running it twice is harmless.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- fhub: static data docs index -->"
_STATUS = re.compile(r"Status:\s*</span>\s*(?:<i\b[^>]*>\s*</i>\s*)?(Succeeded|Failed)", re.IGNORECASE)


@dataclass
class Validation:
    suite: str
    run_time: str
    status: str
    href: str


def _validations(docs: Path) -> list[Validation]:
    out = []
    root = docs / "validations"
    if not root.exists():
        return out
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root).parts  # <suite>/<run name>/<run time>/<batch>.html
        suite = rel[0] if len(rel) > 1 else page.stem
        run_time = rel[-2] if len(rel) >= 3 else ""
        match = _STATUS.search(page.read_text(encoding="utf-8", errors="replace"))
        out.append(Validation(suite, run_time, match.group(1).capitalize() if match else "not recorded",
                              page.relative_to(docs).as_posix()))
    return sorted(out, key=lambda v: (v.run_time, v.suite), reverse=True)


def _readable_time(stamp: str) -> str:
    m = re.match(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})", stamp)
    return f"{m[1]}-{m[2]}-{m[3]} {m[4]}:{m[5]}:{m[6]} UTC" if m else stamp


def write_data_docs_index(docs: Path) -> Path | None:
    """Write the static ``index.html`` into the Data Docs folder (None when there are no Data Docs)."""
    docs = Path(docs)
    if not docs.is_dir():
        return None
    index = docs / "index.html"
    if index.exists() and MARKER not in index.read_text(encoding="utf-8", errors="replace"):
        os.replace(index, docs / "gx-index.html")
    suites = sorted(p for p in (docs / "expectations").glob("*.html")) if (docs / "expectations").exists() else []
    validations = _validations(docs)
    e = html.escape
    suite_rows = []
    for s in suites:
        runs = [v for v in validations if v.suite == s.stem]
        latest = runs[0] if runs else None
        suite_rows.append(
            f'<tr><th scope="row"><a href="expectations/{e(s.name)}">{e(s.stem)}</a></th>'
            f"<td>{len(runs)}</td><td>{e(_readable_time(latest.run_time)) if latest else 'never run'}</td>"
            f"<td>{e(_mark(latest.status)) if latest else 'x'}</td></tr>")
    run_rows = [f'<tr><th scope="row"><a href="{e(v.href)}">{e(v.suite)}</a></th><td>{e(_readable_time(v.run_time))}</td>'
                f"<td>{e(_mark(v.status))}</td></tr>" for v in validations]
    gx = ' <a href="gx-index.html">GX\'s own index page</a> (needs its scripts: its list is empty offline).' \
        if (docs / "gx-index.html").exists() else ""
    page = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{MARKER}
<link rel="icon" href="data:,">
<title>Data quality checks (Great Expectations Data Docs)</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 0 auto; max-width: 1000px;
       padding: 16px; color: #111; line-height: 1.45; }}
a {{ color: #00508a; }} a:focus {{ outline: 3px solid #F0E442; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; margin: 8px 0 20px; }}
caption {{ text-align: left; font-weight: 600; }}
th, td {{ border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; }}
thead th {{ background: #eef2f6; }}
</style></head><body>
<main>
<h1>Data quality checks (Great Expectations)</h1>
<p>Every expectation suite the publish gate runs, and every validation result kept, newest first. ✓ succeeded,
✗ failed (also in words).{gx}</p>
<h2 id="suites">Expectation suites ({len(suites)})</h2>
<div class="table-wrap" role="region" aria-label="Expectation suites" tabindex="0">
<table id="suite-list"><caption>Expectation suites</caption>
<thead><tr><th scope="col">Suite</th><th scope="col">Validation results</th><th scope="col">Latest run</th>
<th scope="col">Latest status</th></tr></thead>
<tbody>{"".join(suite_rows) or '<tr><td colspan="4">No suites yet.</td></tr>'}</tbody></table></div>
<h2 id="validations">Validation results ({len(validations)})</h2>
<div class="table-wrap" role="region" aria-label="Validation results" tabindex="0">
<table id="validation-list"><caption>Validation results, newest first</caption>
<thead><tr><th scope="col">Suite</th><th scope="col">Run time</th><th scope="col">Status</th></tr></thead>
<tbody>{"".join(run_rows) or '<tr><td colspan="3">No validation results yet.</td></tr>'}</tbody></table></div>
</main></body></html>
"""
    tmp = index.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, index)
    return index


def _mark(status: str) -> str:
    return {"Succeeded": "✓ succeeded", "Failed": "✗ failed"}.get(status, status)
