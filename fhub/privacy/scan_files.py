"""Scan the files a night writes for identifier-like substrings: text (Markdown, CSV, JSON, logs, YAML), HTML by
its text content and attribute values (not SVG geometry, stylesheets or code), Parquet and DuckDB files through
DuckDB, and SQLite databases (Prefect's) by every text value. Findings name the file and the line, column or
table - never the value (:class:`~fhub.privacy.findings.Finding`).

:func:`scan_tree` walks a folder and picks the scanner by file type; encrypted originals (``*.fenc``) are
reported as such, not scanned (:func:`plaintext_needles` checks their bytes hold none of a test's needles).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import duckdb

from fhub.privacy.findings import Finding, findings_in_text, may_hold_identifier, merge
from fhub.privacy.scan_duckdb import ColumnFilter, scan_catalog
from fhub.privacy.vault import SUFFIX

TEXT_SUFFIXES = {".md", ".csv", ".txt", ".json", ".jsonl", ".log", ".yml", ".yaml", ".sql", ".toml", ".ini"}
HTML_SUFFIXES = {".html", ".htm"}
DUCKDB_SUFFIXES = {".duckdb"}
SQLITE_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
PARQUET_SUFFIXES = {".parquet"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
#: Vendored static assets of the documentation sites (fonts, images): binary, never data.
ASSET_SUFFIXES = {".otf", ".ttf", ".woff", ".woff2", ".eot", ".gif", ".png", ".jpg", ".jpeg", ".ico", ".webp"}
#: Attributes that carry SVG geometry or presentation (numbers that are not data): not scanned.
SVG_GEOMETRY = {"d", "points", "viewbox", "transform", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx",
                "ry", "width", "height", "dx", "dy", "stroke-dasharray", "offset", "fill", "stroke", "style",
                "class", "id", "href", "src", "xmlns", "xmlns:xlink", "xlink:href"}
#: Script types whose body is data a page shows (scanned); any other script is program code (not scanned).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/csv", "text/plain"}


def scan_text(text: str, artefact: str, *, first_line: int = 1) -> list[Finding]:
    found: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=first_line):
        if may_hold_identifier(line):
            found += findings_in_text(line, artefact, f"line {number}")
    return found


def scan_text_file(path: Path, artefact: str) -> list[Finding]:
    found: list[Finding] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if may_hold_identifier(line):
                found += findings_in_text(line.rstrip("\r\n"), artefact, f"line {number}")
    return merge(found)


class _HtmlText(HTMLParser):
    """Collects (line, where, text) for text content and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[int, str, str]] = []
        self.skip_depth = 0  # inside <style> or a code <script>
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        in_svg = "svg" in self.stack or tag == "svg"
        for name, value in attrs:
            if value and not (in_svg and name.lower() in SVG_GEOMETRY) and name.lower() not in ("style", "class"):
                self.parts.append((line, f"attribute {name} of <{tag}>", value))
        if tag == "style" or (tag == "script" and (dict(attrs).get("type") or "").lower() not in DATA_SCRIPT_TYPES):
            self.skip_depth += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self.skip_depth:
            self.skip_depth -= 1
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.skip_depth and data.strip():
            self.parts.append((self.getpos()[0], "text", data))


def scan_html(text: str, artefact: str) -> list[Finding]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    found: list[Finding] = []
    for line, where, part in parser.parts:
        for number, piece in enumerate(part.splitlines() or [part], start=line):
            if may_hold_identifier(piece):
                found += findings_in_text(piece, artefact, f"{where}, line {number}")
    return merge(found)


def scan_duckdb_file(path: Path, artefact: str, include: ColumnFilter | None = None) -> list[Finding]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return scan_catalog(con, artefact=artefact, include=include)
    finally:
        con.close()


def scan_parquet(path: Path, artefact: str) -> list[Finding]:
    con = duckdb.connect()
    try:
        con.execute(f"create view main.parquet as select * from read_parquet('{str(path).replace(chr(39), '')}')")
        found = scan_catalog(con, artefact=artefact)
    finally:
        con.close()
    return [Finding(f.artefact, f"column {f.location.rsplit('.', 1)[1]}", f.kind, f.shape, f.count, f.scope)
            for f in found]


def scan_xlsx(path: Path, artefact: str) -> list[Finding]:
    """The text of every cell (shared strings, inline strings, values) and the sheet names of a workbook."""
    import re
    import zipfile
    from html import unescape

    found: list[Finding] = []
    with zipfile.ZipFile(path) as book:
        for member in book.namelist():
            if not member.endswith(".xml") or not member.startswith("xl/"):
                continue
            xml = book.read(member).decode("utf-8", errors="replace")
            texts = re.findall(r"<(?:t|v)(?:\s[^>]*)?>([^<]*)</(?:t|v)>", xml)
            texts += re.findall(r'<sheet [^>]*name="([^"]*)"', xml)
            for text in texts:
                text = unescape(text)
                if may_hold_identifier(text):
                    found += findings_in_text(text, artefact, member)
    return merge(found)


def scan_sqlite(path: Path, artefact: str) -> list[Finding]:
    """Every text (and text-like blob) value of every table; locations are ``table.column``."""
    found: list[Finding] = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'").fetchall()]
        for table in tables:
            cur = con.execute(f'select * from "{table}"')  # noqa: S608 - names from sqlite_master
            names = [d[0] for d in cur.description]
            for row in cur:
                for name, value in zip(names, row, strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="ignore")
                    if isinstance(value, str) and may_hold_identifier(value):
                        found += findings_in_text(value, artefact, f"{table}.{name}")
    finally:
        con.close()
    return merge(found)


def scan_file(path: Path, artefact: str) -> list[Finding]:
    """Pick the scanner by file type; an unknown binary type is scanned as text (what is readable in it)."""
    suffix = path.suffix.lower()
    if suffix == SUFFIX or suffix in ASSET_SUFFIXES:
        return []
    if suffix in XLSX_SUFFIXES:
        return scan_xlsx(path, artefact)
    if suffix in HTML_SUFFIXES:
        return scan_html(path.read_text(encoding="utf-8", errors="replace"), artefact)
    if suffix in DUCKDB_SUFFIXES or _is_duckdb(path):
        return scan_duckdb_file(path, artefact)
    if suffix in PARQUET_SUFFIXES:
        return scan_parquet(path, artefact)
    if suffix in SQLITE_SUFFIXES or _is_sqlite(path):
        return scan_sqlite(path, artefact)
    return scan_text_file(path, artefact)


def _is_duckdb(path: Path) -> bool:
    """A DuckDB database whatever its name (e.g. the published file's ``.prev`` link): magic at byte 8."""
    with open(path, "rb") as fh:
        return fh.read(12)[8:12] == b"DUCK"


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def scan_tree(root: Path, *, skip: Iterable[str] = (), label: str | None = None) -> list[Finding]:
    """Scan every regular file under ``root`` (paths relative to ``root`` in ``skip`` - files or folders - are
    left out). DuckDB and SQLite side files (``.wal``, ``-shm``, ``-wal``) are read through their database."""
    skipped = tuple(s.rstrip("/") for s in skip)
    found: list[Finding] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skipped):
            continue
        if path.name.endswith((".wal", "-wal", "-shm", "-journal")):
            continue
        artefact = f"{label}/{rel}" if label else rel
        found += scan_file(path, artefact)
    return merge(found)


def plaintext_needles(root: Path, needles: Iterable[str], *, skip: Iterable[str] = ()) -> list[str]:
    """Files under ``root`` whose raw bytes contain any needle (as UTF-8 or UTF-16): a plaintext copy of a
    delivered file. Returns "relative path: needle number" lines (never the needle itself)."""
    patterns = []
    for i, needle in enumerate(n for n in needles if n):
        patterns += [(i, needle.encode("utf-8")), (i, needle.encode("utf-16-le"))]
    skipped = tuple(s.rstrip("/") for s in skip)
    hits: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skipped):
            continue
        data = path.read_bytes()
        for i, pattern in patterns:
            if pattern in data:
                hits.append(f"{rel}: needle #{i}")
                break
    return hits


def describe(findings: list[Finding], limit: int = 20) -> str:
    lines = [f.describe() for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"... and {len(findings) - limit} more")
    return "\n".join(lines)


def to_json(findings: list[Finding]) -> str:
    return json.dumps([f.__dict__ | {"scope": f.scope.__dict__ if f.scope else None} for f in findings], indent=1)
