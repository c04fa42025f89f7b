"""Scan every artefact a night writes - the work file, the published file, exports, HTML pages, receipts,
manifests, the run summary, logs, GX results and the Prefect database the run used - for identifier-like
substrings, with the exemptions below and nothing else. Used by the end-to-end leak suite and by
``fhub privacy scan``.

Exempt, and why (docs/privacy.md repeats this list):

* ``incoming/`` - the deliveries themselves, as boroughs sent them (they leave after landing);
* ``archive/``, ``quarantine/*/original.fenc`` - originals, encrypted (checked for plaintext separately);
* in the WORK file: schema ``ref`` and every relation dbt builds only from it and from seeds (the real
  published statistics - DfE, OHID, MHCLG - are public; LAIT stores figures as text, and a 10-digit figure
  reads as an NHS number); and the original file name (``source_file``, ``_source_file``), which stays in the
  work file by design and never leaves it;
* ``dbt-target/`` - the project's compiled SQL, manifest and graph (code and metadata, rebuilt from the
  repository, no data values); in ``logs/dbt.log``, dbt's test ids (``test.<project>.<name>.<10 hex>``) and
  digit strings written literally in the project's own SQL (``4294967296`` = 2^32 in the row precedence of
  the incremental models);
* ``cache/`` - cached public reference files; ``config/`` - mapping files (configuration);
* the Prefect database's catalogue of built-in block types (``block_type``, ``block_schema``,
  ``block_schema_reference``: Prefect's own documentation examples, written when the server starts);
* vendored static assets of the documentation sites (fonts, images).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.privacy.findings import Finding, findings_in_text, may_hold_identifier, merge
from fhub.privacy.scan_duckdb import FILE_NAME_COLUMNS, Relation, scan_catalog
from fhub.privacy.scan_files import scan_file, scan_sqlite

#: Folders of the data root not scanned as artefacts (see the module doc).
EXEMPT_FOLDERS = ("incoming", "archive", "dbt-target", "cache", "config", "work/duckdb-tmp", "bench-logs")
#: Prefect tables holding Prefect's own catalogue of block types (examples in its documentation strings).
PREFECT_CATALOGUE_TABLES = ("block_type", "block_schema", "block_schema_reference")
_DBT_TEST_ID = re.compile(r"\b(?:test|unit_test)\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+\.[0-9a-f]{10}\b")
_LONG_LITERAL = re.compile(r"(?<![0-9A-Za-z_.])[0-9]{10,}(?![0-9A-Za-z_])")


def project_sql_literals(project: Path) -> set[str]:
    """Digit strings of 10+ digits written literally in the project's SQL (models, macros, tests)."""
    found: set[str] = set()
    for folder in ("models", "macros", "tests"):
        for path in (project / folder).rglob("*.sql") if (project / folder).is_dir() else ():
            found |= set(_LONG_LITERAL.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def reference_only_relations(manifest: Path) -> set[tuple[str, str]]:
    """(schema, name) of every dbt model built only from sources in schema ``ref`` (and seeds)."""
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    sources = {k: v.get("schema") for k, v in doc.get("sources", {}).items()}
    nodes = doc.get("nodes", {})
    memo: dict[str, bool] = {}

    def public_only(uid: str) -> bool:
        if uid in sources:
            return sources[uid] == "ref"
        if uid.startswith("seed."):
            return True
        if uid in memo:
            return memo[uid]
        memo[uid] = False  # cycles cannot happen in dbt; guards recursion anyway
        parents = nodes.get(uid, {}).get("depends_on", {}).get("nodes", [])
        memo[uid] = bool(parents) and all(public_only(p) for p in parents) and any(
            p in sources for p in _ancestors(uid, nodes))
        return memo[uid]

    return {(n.get("schema"), n.get("alias") or n.get("name")) for uid, n in nodes.items()
            if uid.startswith("model.") and public_only(uid)}


def _ancestors(uid: str, nodes: dict) -> set[str]:
    seen: set[str] = set()
    stack = list(nodes.get(uid, {}).get("depends_on", {}).get("nodes", []))
    while stack:
        parent = stack.pop()
        if parent not in seen:
            seen.add(parent)
            stack += nodes.get(parent, {}).get("depends_on", {}).get("nodes", [])
    return seen


def work_file_filter(manifest: Path | None):
    """Which columns of the work file are scanned (everything but the exemptions in the module doc)."""
    public = reference_only_relations(manifest) if manifest else set()

    def include(rel: Relation, column: str) -> bool:
        return rel.schema != "ref" and (rel.schema, rel.name) not in public and column not in FILE_NAME_COLUMNS

    return include


def scan_work_file(path: Path, manifest: Path | None = None) -> list[Finding]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return scan_catalog(con, artefact="work file", include=work_file_filter(manifest))
    finally:
        con.close()


def scan_dbt_log(path: Path, artefact: str, literals: set[str]) -> list[Finding]:
    found: list[Finding] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not may_hold_identifier(line):
                continue
            line = _DBT_TEST_ID.sub(lambda m: "_" * len(m.group(0)), line.rstrip("\r\n"))
            line = _LONG_LITERAL.sub(lambda m: "_" * len(m.group(0)) if m.group(0) in literals else m.group(0), line)
            found += findings_in_text(line, artefact, f"line {number}")
    return merge(found)


def scan_pdf(path: Path, artefact: str) -> list[Finding]:
    """A printed report: the text on its pages (its raw bytes are compressed streams and cross-reference
    offsets, which look like long numbers and say nothing about what a reader sees)."""
    from pypdf import PdfReader

    found: list[Finding] = []
    for page_no, page in enumerate(PdfReader(str(path)).pages, start=1):
        # each piece of text the page draws, scanned on its own: a chart's axis labels "0", "25", "50", "75",
        # "100" are five pieces, not one spaced number (as plain extraction joins them)
        pieces: list[str] = []
        page.extract_text(visitor_text=lambda text, *_, out=pieces: out.append(text))
        for number, piece in enumerate(pieces, start=1):
            found += findings_in_text(piece, artefact, f"page {page_no} text {number}")
    return merge(found)


@dataclass
class NightScan:
    findings: list[Finding] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)  # artefacts scanned (relative names)

    def by_artefact(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.artefact, []).append(f)
        return out


def scan_night(data: Path, *, project: Path, prefect_home: Path | None = None) -> NightScan:
    """Every artefact of a night under the data root ``data`` (and ``prefect_home``), with the exemptions of the
    module doc."""
    result = NightScan()
    literals = project_sql_literals(project)
    manifest = data / "dbt-target" / "manifest.json"
    for path in sorted(p for p in data.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(data).as_posix()
        if any(rel == f or rel.startswith(f + "/") for f in EXEMPT_FOLDERS):
            continue
        if rel.startswith("quarantine/") and path.name.endswith(".fenc"):
            continue
        if path.name.endswith((".wal", "-wal", "-shm", "-journal")):
            continue
        result.scanned.append(rel)
        if rel == "work/warehouse.duckdb":
            result.findings += scan_work_file(path, manifest)
        elif rel.startswith("logs/") and "dbt" in path.name:
            result.findings += scan_dbt_log(path, rel, literals)
        elif path.suffix == ".pdf":
            result.findings += scan_pdf(path, rel)
        else:
            result.findings += scan_file(path, rel)
    if prefect_home is not None and prefect_home.is_dir():
        for path in sorted(p for p in prefect_home.rglob("*") if p.is_file() and not p.is_symlink()):
            if path.name.endswith((".wal", "-wal", "-shm", "-journal")):
                continue
            rel = f"PREFECT_HOME/{path.relative_to(prefect_home).as_posix()}"
            result.scanned.append(rel)
            if path.suffix == ".db":
                result.findings += [f for f in scan_sqlite(path, rel)
                                    if f.location.split(".", 1)[0] not in PREFECT_CATALOGUE_TABLES]
            else:
                result.findings += scan_file(path, rel)
    result.findings = merge(result.findings)
    return result
