"""Land the real published files into schema ``ref`` of the work DuckDB file, as they are.

Every configured column lands as text exactly as in the file, plus a parsed column for numeric ones, plus
lineage (``_source_file`` relative to the real-data folder, ``_sha256``, ``_row_number`` = 1-based data row,
``_loaded_at``, ``_run_id``). A file whose sha256 was already landed is skipped. Anything unexpected is
written to ``ref.reference_issues`` with file, row and column — never dropped silently:

=====================  ========  =====================================================================
issue                  severity  meaning
=====================  ========  =====================================================================
renamed_column         error     a header differs from the configured one: the file is NOT landed
unreadable_file        error     the file (or its sheet) could not be read: NOT landed
pin_mismatch           error     fetched folder: the bytes are not the pinned ones (or no pin yet): NOT landed
unpinned_file          error     fetched folder: a file that is not a pinned download: NOT landed
unexpected_column      warning   a column the adapter does not know: landed without it
ragged_row             warning   a row with more or fewer fields than the header
unparseable_value      warning   a numeric column holds text that is not a number or missing marker
unknown_la_code        warning   an LA / region code not in the landed DfE/ONS lookups
duplicate_row          warning   a row identical to an earlier one (both landed)
duplicate_key          warning   a row repeating an earlier row's key columns (both landed)
missing_marker         info      "-", "x", "z", "c", ... in a numeric column (parsed as null)
quoted_newline         info      a quoted field holding a line break (kept in the text column)
blank_rows_skipped     info      fully blank spreadsheet rows (count, row_number null)
code_check_skipped     info      no lookup landed, so codes could not be checked
=====================  ========  =====================================================================
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.reference.config import ReferenceConfig, load_config
from fhub.reference.land_file import (
    CodeLookups,
    FileOutcome,
    ReferenceIssue,
    land_one_file,
    quote_name,
    record_file_outcome,
)
from fhub.reference.readers import iter_files
from fhub.settings import Paths

Progress = Callable[[str], None] | None

ISSUES_DDL = """
create table if not exists ref.reference_issues (
  run_id varchar, table_name varchar, source_file varchar, sha256 varchar, row_number bigint,
  column_name varchar, value_excerpt varchar, issue varchar, severity varchar, detail varchar,
  recorded_at timestamp
)"""

FILES_DDL = """
create table if not exists ref.reference_files (
  table_name varchar, source_file varchar, sha256 varchar, size_bytes bigint, file_format varchar,
  status varchar, rows_landed bigint, issues bigint, run_id varchar, loaded_at timestamp, detail varchar
)"""


@dataclass
class ReferenceResult:
    real_dir: Path | None
    skipped_reason: str | None = None
    files: list[FileOutcome] = field(default_factory=list)
    issues: list[ReferenceIssue] = field(default_factory=list)
    missing_sources: list[str] = field(default_factory=list)  # configured tables with no file found

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def as_dict(self, max_issues: int = 50) -> dict:
        """JSON-friendly summary for flow results and run manifests (all issues stay in ref.reference_issues)."""
        counts: dict[str, int] = {}
        for i in self.issues:
            key = f"{i.table_name}:{i.issue}"
            counts[key] = counts.get(key, 0) + 1
        worst = sorted(self.issues, key=lambda i: {"error": 0, "warning": 1}.get(i.severity, 2))[:max_issues]
        return {
            "real_dir": str(self.real_dir) if self.real_dir else None,
            "skipped_reason": self.skipped_reason,
            "summary": self.summary(),
            "ok": self.ok,
            "files": [f.__dict__ for f in self.files],
            "missing_sources": self.missing_sources,
            "issue_counts": counts,
            "issues": [i.__dict__ for i in worst],
        }

    def summary(self) -> str:
        if self.skipped_reason:
            return f"reference data skipped: {self.skipped_reason}"
        landed = sum(1 for f in self.files if f.status == "landed")
        unchanged = sum(1 for f in self.files if f.status == "unchanged")
        rejected = sum(1 for f in self.files if f.status == "rejected")
        by_sev: dict[str, int] = {}
        for i in self.issues:
            by_sev[i.severity] = by_sev.get(i.severity, 0) + 1
        sev = ", ".join(f"{k} {v}" for k, v in sorted(by_sev.items())) or "none"
        return (
            f"reference data from {self.real_dir}: {landed} landed, {unchanged} unchanged, "
            f"{rejected} rejected; issues: {sev}"
        )


def ensure_reference_tables(con: duckdb.DuckDBPyConnection, config: ReferenceConfig | None = None) -> None:
    """Create schema ``ref`` and every configured table (empty) so dbt sources always exist."""
    config = config or load_config()
    con.execute("create schema if not exists ref")
    for src in config.sources:
        cols = ",\n  ".join(f"{quote_name(n)} {t}" for n, t in src.table_columns())
        con.execute(f"create table if not exists {src.qualified} (\n  {cols}\n)")
    con.execute(ISSUES_DDL)
    con.execute(FILES_DDL)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def land_reference(
    paths: Paths,
    run_id: str,
    *,
    real_dir: Path | str | None,
    pins: Mapping[str, str | None] | None = None,
    absent_reason: str | None = None,
    progress: Progress = None,
    config: ReferenceConfig | None = None,
) -> ReferenceResult:
    """Land every configured real file found under ``real_dir`` into ``ref.*`` of the work file.

    ``real_dir`` is the folder the entry point chose (:func:`fhub.reference.folder.choose_reference_folder`);
    ``None`` (with ``absent_reason``) or a missing folder is a clear skip, not an error; the ``ref`` tables are
    still created (empty) so dbt builds. ``pins`` (relative path -> sha256) restricts landing to those exact
    bytes: used for the fetched folder.
    """
    paths.work_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.work_db))
    try:
        return land_reference_into(
            con, real_dir, run_id, pins=pins, absent_reason=absent_reason, progress=progress, config=config
        )
    finally:
        con.close()


def land_reference_into(
    con: duckdb.DuckDBPyConnection,
    real_dir: Path | str | None,
    run_id: str,
    *,
    pins: Mapping[str, str | None] | None = None,
    absent_reason: str | None = None,
    progress: Progress = None,
    config: ReferenceConfig | None = None,
) -> ReferenceResult:
    config = config or load_config()
    ensure_reference_tables(con, config)
    say = progress or (lambda _msg: None)
    if real_dir is None:
        reason = absent_reason or "no reference folder was chosen; ref.* tables stay as they are"
        say(reason)
        return ReferenceResult(real_dir=None, skipped_reason=reason)
    real_dir = Path(real_dir)
    if not real_dir.is_dir():
        reason = (
            f"real-data folder {real_dir} does not exist; set FHUB_REAL_DATA_DIR (or the CLI option) to the "
            "folder holding the published files, or run `fhub reference fetch`. ref.* tables stay as they are "
            "and comparators are absent."
        )
        say(reason)
        return ReferenceResult(real_dir=real_dir, skipped_reason=reason)
    result = ReferenceResult(real_dir=real_dir)
    lookups = CodeLookups(con)
    for src in config.sources:
        found = list(iter_files(real_dir, src.files))
        if not found:
            result.missing_sources.append(src.table)
            continue
        for path in found:
            rel = path.relative_to(real_dir).as_posix()
            sha = sha256_file(path)
            problem = _pin_problem(pins, rel, sha)
            if problem:
                kind, detail = problem
                issue = ReferenceIssue(src.table, rel, None, None, None, kind, "error", detail)
                outcome, issues = record_file_outcome(con, src, rel, sha, path, run_id, "rejected", 0, [issue])
                result.files.append(outcome)
                result.issues.extend(issues)
                say(f"{rel}: NOT landed - {detail}")
                continue
            done = con.execute(
                "select 1 from ref.reference_files where table_name = ? and sha256 = ? and status = 'landed'",
                [src.table, sha],
            ).fetchone()
            if done:
                result.files.append(FileOutcome(src.table, rel, sha, "unchanged", 0, 0))
                say(f"{rel}: unchanged (sha256 {sha[:12]}), skipped")
                continue
            say(f"{rel}: landing into {src.qualified}")
            outcome, issues = land_one_file(con, src, config, path, rel, sha, run_id, lookups)
            result.files.append(outcome)
            result.issues.extend(issues)
            lookups.invalidate()
            say(f"{rel}: {outcome.status}, {outcome.rows_landed} rows, {outcome.issues} issues")
    return result


def _pin_problem(pins: Mapping[str, str | None] | None, rel: str, sha: str) -> tuple[str, str] | None:
    """Why a file in a pinned folder may not be landed: (issue, detail), or None when it may."""
    if pins is None:
        return None
    if rel not in pins:
        return (
            "unpinned_file",
            "this file is not one of the pinned downloads (config/reference/downloads.yml); files of your own "
            "belong in a folder given as FHUB_REAL_DATA_DIR",
        )
    if pins[rel] is None:
        return (
            "pin_mismatch",
            "no pin accepted for this file yet; run `fhub reference fetch --accept-new <table>` after checking it",
        )
    if pins[rel] != sha:
        return (
            "pin_mismatch",
            f"sha256 {sha[:12]} is not the pinned {pins[rel][:12]}; the figures stay on what was landed before. "
            "Run `fhub reference fetch` to restore the pinned file (or --accept-new to take this one)",
        )
    return None
