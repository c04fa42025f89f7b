"""The substring audit as a gate.

* **Work file, every night** (:func:`scan_run`): what tonight added - raw rows, landing's bookkeeping and the
  data-quality results recorded so far - is scanned for identifier-like substrings. Each finding becomes a
  blocking data-quality error for the borough x extract x period it came from (:mod:`fhub.dq.privacy_results`);
  text the pipeline wrote itself (reasons, fixes, excerpts, DQ messages) is also scrubbed in place, so a
  leaked value cannot travel on into history and every later publish. Raw rows are left as delivered: the
  scope is withheld and the borough is asked for a corrected file.
* **Published file, every publish** (:func:`audit_public_catalog`): every text cell of the assembled public file.
  A cell holding an identifier-like substring is redacted (the substring replaced by its tag); a row attributed
  to a scope withholds that scope (:func:`fhub.dq.withhold.apply_withholdings`); a cell that cannot be
  attributed is only redacted. Every finding is recorded (``privacy_audit`` table, run manifest) by location,
  kind and masked shape, never by value. Nothing found ever refuses the publish for other boroughs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from fhub.privacy.findings import Finding, Scope, kinds_and_shapes
from fhub.privacy.identifiers import KIND_NAMES, scrub
from fhub.privacy.scan_duckdb import FILE_NAME_COLUMNS, Relation, redact, scan_catalog

WORK_FILE = "work file"
PUBLISHED_FILE = "published file"
#: Relations of the work file scanned each night (rows of tonight's run only), and whether the pipeline wrote
#: their text itself (then found text is scrubbed in place).
RUN_RELATIONS: dict[str, bool] = {
    "landing.deliveries": True,
    "landing.rejects": True,
    "landing.warnings": True,
    "landing.quarantine": True,
    "dq.check_results": True,
}


def _run_predicates(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, str]:
    lit = "'" + run_id.replace("'", "''") + "'"
    where = {name: f"run_id = {lit}" for name in RUN_RELATIONS}
    for (table,) in con.execute("select table_name from information_schema.tables where table_schema = 'raw' "
                                "and table_catalog = current_database()").fetchall():
        where[f"raw.{table}"] = f"_run_id = {lit}"
    return where


def _delivery_scopes(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Scope]:
    return {d: Scope(b, e, p) for d, b, e, p in con.execute(
        "select delivery_id, borough_code, extract_type, period from landing.deliveries where run_id = ?",
        [run_id]).fetchall()}


def _raw_text_columns() -> dict[str, set[str]]:
    """Raw table -> the contract columns that hold a borough's text as delivered (kind ``text``: ids, hubs,
    free text, codes of other bodies). Identifier columns hold keyed hashes, code columns only agreed codes,
    lineage columns what landing wrote: none of them can carry a borough's text."""
    from fhub.contracts import CONTRACTS

    return {c.raw_table: {col.stored_name for col in c.columns if col.kind == "text"} for c in CONTRACTS.values()}


def scan_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Finding]:
    """Scan what ``run_id`` added to the work file (see the module doc); scrub the pipeline's own text in place.
    Returns the findings as they were before scrubbing. The original file name (``source_file``) stays in the
    work file by design and is not scanned here."""
    where = _run_predicates(con, run_id)
    raw_text = _raw_text_columns()

    def include(rel: Relation, column: str) -> bool:
        if rel.schema == "raw":
            return column in raw_text.get(rel.name, set(rel.text_columns))
        return f"{rel.schema}.{rel.name}" in where and column not in FILE_NAME_COLUMNS

    findings = scan_catalog(con, artefact=WORK_FILE, include=include, where=where,
                            delivery_scopes=_delivery_scopes(con, run_id))
    own = [f for f in findings if f.location.rsplit(".", 1)[0] in RUN_RELATIONS]
    if own:
        redact(con, own)
    return findings


@dataclass
class PublicAudit:
    findings: list[Finding] = field(default_factory=list)
    redacted_cells: int = 0

    @property
    def scopes(self) -> list[Scope]:
        """Distinct attributed scopes, in a stable order."""
        return sorted({f.scope for f in self.findings if f.scope and f.scope.attributed}, key=repr)

    @property
    def unattributed(self) -> list[Finding]:
        return [f for f in self.findings if not (f.scope and f.scope.attributed)]

    def reason_for(self, scope: Scope) -> str:
        """The plain reason a scope is withheld (kinds, where, shapes; no value)."""
        mine = [f for f in self.findings if f.scope == scope]
        return finding_sentence(mine, PUBLISHED_FILE) + " The text was removed and this scope's values are " \
                                                        "withheld until the delivery is corrected."


def finding_sentence(findings: list[Finding], where: str) -> str:
    """"Identifier-like text found in the published file: an NHS number (10 digits) in dq_check_results.message
    (shape NNN NNN NNNN, 2 values)." - templated: kinds, locations, shapes and counts only."""
    kinds = sorted({KIND_NAMES[f.kind] for f in findings})
    locations = sorted({f.location for f in findings})
    shapes = sorted({f.shape for f in findings})
    n = sum(f.count for f in findings)
    return (f"Identifier-like text found in the {where}: {', '.join(kinds)} in {', '.join(locations[:5])}"
            f"{' and more' if len(locations) > 5 else ''} (shape {', '.join(shapes[:5])}; {n} value"
            f"{'s' if n != 1 else ''}).")


def audit_public_catalog(con: duckdb.DuckDBPyConnection) -> PublicAudit:
    """Scan the (writable) public file on ``con`` and redact every cell found; returns what was found."""
    findings = scan_catalog(con, artefact=PUBLISHED_FILE)
    audit = PublicAudit(findings=findings)
    if findings:
        audit.redacted_cells = redact(con, findings)
    return audit


def record_public_audit(con: duckdb.DuckDBPyConnection, findings: list[Finding], withheld: list[Scope]) -> None:
    """``privacy_audit``: one row per finding of the publish audit (location, kind, shape, count, scope,
    action) - empty when the file was clean."""
    con.execute("create or replace table main.privacy_audit (relation_column varchar, kind varchar, "
                "shape varchar, values_found bigint, borough_code varchar, extract_type varchar, "
                "period varchar, action varchar)")
    rows = []
    for f in findings:
        s = f.scope or Scope()
        action = "redacted; scope withheld" if s in withheld else "redacted"
        rows.append((f.location, f.kind, f.shape, f.count, s.borough_code, s.extract_type, s.period, action))
    if rows:
        con.executemany("insert into main.privacy_audit values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("comment on table main.privacy_audit is 'identifier-like text the publish audit removed "
                "(where, kind, masked shape; never the value)'")


Withhold = Callable[[duckdb.DuckDBPyConnection, list[tuple[Scope, str]]], None]


def gate_public_file(con: duckdb.DuckDBPyConnection, withhold: Withhold | None) -> tuple[list[Finding], int]:
    """Audit, redact, withhold the attributed scopes (``withhold(con, [(scope, reason)])``), audit again (the
    withholding writes reasons) and record ``privacy_audit``. Returns (findings, cells redacted)."""
    first = audit_public_catalog(con)
    scopes = first.scopes if withhold is not None else []
    if scopes:
        withhold(con, [(s, first.reason_for(s)) for s in scopes])
    second = audit_public_catalog(con)
    findings = first.findings + second.findings
    record_public_audit(con, findings, scopes)
    return findings, first.redacted_cells + second.redacted_cells


def scrub_text_file(path) -> int:
    """Replace identifier-like substrings in a small text file in place (receipts, notes); returns the number of
    lines changed. A last line of defence for text built from templates."""
    from pathlib import Path

    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = 0
    for i, line in enumerate(lines):
        if kinds_and_shapes(line):
            lines[i] = scrub(line)[0]
            changed += 1
    if changed:
        tmp = path.with_name(path.name + ".scrub")
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(path)
    return changed


def scrub_structure(value: object) -> tuple[object, int]:
    """A copy of a JSON-like structure (dicts, lists, strings) with every identifier-like substring in its
    strings (keys included) replaced by its tag; returns (copy, number of strings changed)."""
    changed = 0

    def walk(v: object) -> object:
        nonlocal changed
        if isinstance(v, str):
            if kinds_and_shapes(v):
                changed += 1
                return scrub(v)[0]
            return v
        if isinstance(v, dict):
            return {walk(k) if isinstance(k, str) else k: walk(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [walk(x) for x in v]
        return v

    return walk(value), changed
