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
import pyarrow as pa

from fhub.reference.config import ReferenceConfig, SourceLayout, load_config
from fhub.reference.readers import RawTable, iter_files, read_csv, read_parquet_header, read_xlsx
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


@dataclass(frozen=True)
class ReferenceIssue:
    table_name: str
    source_file: str
    row_number: int | None
    column_name: str | None
    value_excerpt: str | None
    issue: str
    severity: str
    detail: str


@dataclass(frozen=True)
class FileOutcome:
    table_name: str
    source_file: str
    sha256: str
    status: str  # landed | unchanged | rejected
    rows_landed: int
    issues: int


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


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ensure_reference_tables(con: duckdb.DuckDBPyConnection, config: ReferenceConfig | None = None) -> None:
    """Create schema ``ref`` and every configured table (empty) so dbt sources always exist."""
    config = config or load_config()
    con.execute("create schema if not exists ref")
    for src in config.sources:
        cols = ",\n  ".join(f"{_q(n)} {t}" for n, t in src.table_columns())
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
    lookups = _Lookups(con)
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
                outcome, issues = _finish(con, src, rel, sha, path, run_id, "rejected", 0, [issue])
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
            outcome, issues = _land_file(con, src, config, path, rel, sha, run_id, lookups)
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


class _Lookups:
    """Known ONS and DfE 3-digit codes, from whatever lookups are landed (refreshed after each file)."""

    ONS_SQL = """
        select new_la_code from ref.dfe_las union select lad_code from ref.dfe_lads
        union select region_code from ref.dfe_regions union select new_la_code from ref.dfe_region_la_hierarchy
        union select region_code from ref.dfe_region_la_hierarchy union select ons_la_code from ref.dfe_gias_la_codes
    """
    DFE_SQL = """
        select old_la_code from ref.dfe_las union select old_la_code from ref.dfe_region_la_hierarchy
        union select gias_la_code from ref.dfe_gias_la_codes
        union select cast(la_number_int as varchar) from ref.dfe_lait_la_codes
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._cache: dict[str, set[str]] = {}

    def invalidate(self) -> None:
        self._cache.clear()

    def get(self, kind: str) -> set[str]:
        if kind not in self._cache:
            sql = self.ONS_SQL if kind == "ons" else self.DFE_SQL
            codes = {r[0].strip() for r in self.con.execute(sql).fetchall() if r[0] and r[0].strip()}
            if kind == "ons" and codes:
                codes.add("E92000001")  # England
            self._cache[kind] = codes
        return self._cache[kind]


def _land_file(
    con: duckdb.DuckDBPyConnection,
    src: SourceLayout,
    config: ReferenceConfig,
    path: Path,
    rel: str,
    sha: str,
    run_id: str,
    lookups: _Lookups,
) -> tuple[FileOutcome, list[ReferenceIssue]]:
    issues: list[ReferenceIssue] = []

    def issue(row, column, value, kind, severity, detail):
        excerpt = None if value is None else str(value)[:80]
        issues.append(ReferenceIssue(src.table, rel, row, column, excerpt, kind, severity, detail))

    # --- read ----------------------------------------------------------------------------------------
    raw: RawTable | None = None
    try:
        if src.format == "csv":
            raw = read_csv(path)
            header = raw.header
        elif src.format == "xlsx":
            raw = read_xlsx(path, src.sheet, src.header_row)
            header = raw.header
        else:
            header = read_parquet_header(path)
    except Exception as exc:  # noqa: BLE001 - any read failure is reported against the file
        issue(None, None, None, "unreadable_file", "error", f"could not read {src.format} file: {exc}")
        return _finish(con, src, rel, sha, path, run_id, "rejected", 0, issues)

    # --- header: every configured column at its position, exactly (surrounding spaces tolerated) ---------
    problems = False
    for i, col in enumerate(src.columns):
        found = header[i] if i < len(header) else None
        if found is None or found.strip() != col.source.strip():
            problems = True
            elsewhere = [j + 1 for j, h in enumerate(header) if h.strip() == col.source.strip()]
            where = f"found at position {elsewhere[0]} instead" if elsewhere else "not found in the header"
            issue(
                None,
                col.source,
                found,
                "renamed_column",
                "error",
                f"adapter {src.table} expects column {i + 1} to be {col.source!r}, the file has {found!r} "
                f"({col.source!r} {where}). If the publisher renamed it, update config/reference/sources.yml.",
            )
    if problems:
        return _finish(con, src, rel, sha, path, run_id, "rejected", 0, issues)
    for j in range(len(src.columns), len(header)):
        issue(
            None,
            header[j],
            None,
            "unexpected_column",
            "warning",
            f"column {j + 1} {header[j]!r} is not in adapter {src.table}; it was not landed",
        )

    names = [c.name for c in src.columns]
    n = len(names)
    con.execute("drop table if exists _ref_stage")
    if raw is None:  # parquet: straight from the file, every column as text
        selects = ", ".join(f"cast({_q(header[i])} as varchar) as {_q(names[i])}" for i in range(n))
        con.execute(
            f"create temp table _ref_stage as select {selects}, cast(file_row_number + 1 as bigint) as _row_number "
            f"from read_parquet({_lit(str(path))}, file_row_number = true)"
        )
    else:
        for row_number, column in raw.quoted_newlines:
            issue(
                row_number,
                column,
                None,
                "quoted_newline",
                "info",
                "quoted field holds a line break; kept as is in the text column",
            )
        if raw.blank_rows_skipped:
            issue(
                None,
                None,
                None,
                "blank_rows_skipped",
                "info",
                f"{raw.blank_rows_skipped} fully blank spreadsheet rows skipped",
            )
        cols: list[list[str | None]] = [[] for _ in range(n)]
        for r, row in enumerate(raw.rows, start=1):
            if len(row) < len(header) or any(v not in (None, "") for v in row[len(header) :]):
                issue(
                    r,
                    None,
                    None,
                    "ragged_row",
                    "warning",
                    f"row has {len(row)} fields, header has {len(header)}",
                )
            for i in range(n):
                cols[i].append(row[i] if i < len(row) else None)
        arrow = pa.table(
            {
                **{names[i]: pa.array(cols[i], pa.string()) for i in range(n)},
                "_row_number": pa.array(range(1, len(raw.rows) + 1), pa.int64()),
            }
        )
        con.register("_ref_arrow", arrow)
        con.execute("create temp table _ref_stage as select * from _ref_arrow")
        con.unregister("_ref_arrow")

    # --- value checks on the staged text ---------------------------------------------------------------
    markers = ", ".join(_lit(m) for m in config.missing_markers)
    for col in src.columns:
        if col.type == "text":
            continue
        v = f"nullif(trim({_q(col.name)}), '')"
        rows = con.execute(
            f"select _row_number, {_q(col.name)}, {v} in ({markers}) from _ref_stage "
            f"where {v} is not null and {_parse_sql(col.name, col.type)} is null order by _row_number"
        ).fetchall()
        for r, value, is_marker in rows:
            if is_marker:
                issue(
                    r,
                    col.source,
                    value,
                    "missing_marker",
                    "info",
                    f"{value.strip()!r} = missing; parsed as null",
                )
            else:
                issue(
                    r,
                    col.source,
                    value,
                    "unparseable_value",
                    "warning",
                    f"not a {col.type}; parsed as null (text kept in {col.name})",
                )
    all_cols = ", ".join(_q(c) for c in names)
    dup_rows = con.execute(
        f"select _row_number, first_row from (select _row_number, min(_row_number) over w as first_row, "
        f"row_number() over (w order by _row_number) as k from _ref_stage window w as (partition by {all_cols})) "
        f"where k > 1 order by _row_number"
    ).fetchall()
    dup_set = set()
    for r, first in dup_rows:
        dup_set.add(r)
        issue(r, None, None, "duplicate_row", "warning", f"identical to row {first}; both landed")
    if src.key:
        key_cols = ", ".join(_q(c) for c in src.key)
        for r, first in con.execute(
            f"select _row_number, first_row from (select _row_number, min(_row_number) over w as first_row, "
            f"row_number() over (w order by _row_number) as k from _ref_stage window w as (partition by {key_cols})) "
            f"where k > 1 order by _row_number"
        ).fetchall():
            if r not in dup_set:
                issue(
                    r,
                    ", ".join(src.key),
                    None,
                    "duplicate_key",
                    "warning",
                    f"same key as row {first} but other values differ; both landed",
                )

    # --- write -------------------------------------------------------------------------------------------
    con.execute("begin")
    try:
        con.execute(f"delete from {src.qualified} where _source_file = ?", [rel])
        con.execute(
            "delete from ref.reference_issues where table_name = ? and source_file = ?", [src.table, rel]
        )
        select = [f"{_q(c)}" for c in names]
        select += [
            f"{_parse_sql(c.name, c.type)} as {_q(c.parsed_name)}" for c in src.columns if c.parsed_name
        ]
        if src.forward_fill:
            ff, part = src.forward_fill["column"], src.forward_fill["partition_by"]
            select.append(
                f"last_value(nullif(trim({_q(ff)}), '') ignore nulls) over (partition by {_q(part)} "
                f"order by _row_number rows between unbounded preceding and current row) as {_q(ff + '_filled')}"
            )
        select += [_lit(rel), _lit(sha), "_row_number", "current_timestamp::timestamp", _lit(run_id)]
        target = ", ".join(_q(n_) for n_, _t in src.table_columns())
        con.execute(f"insert into {src.qualified} ({target}) select {', '.join(select)} from _ref_stage")
        rows_landed = con.execute(
            f"select count(*) from {src.qualified} where _source_file = ?", [rel]
        ).fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute("drop table if exists _ref_stage")

    # --- code checks against the landed lookups --------------------------------------------------------
    for check in src.code_checks:
        known = lookups.get(check.lookup)
        if not known:
            issue(
                None,
                check.column,
                None,
                "code_check_skipped",
                "info",
                f"no {check.lookup} code lookup landed; {check.column} not checked",
            )
            continue
        where = f" and ({check.when})" if check.when else ""
        rows = con.execute(
            f"select _row_number, cast({_q(check.column)} as varchar) from {src.qualified} "
            f"where _source_file = ? and nullif(trim(cast({_q(check.column)} as varchar)), '') is not null{where} "
            f"order by _row_number",
            [rel],
        ).fetchall()
        for r, value in rows:
            if value.strip() not in known:
                issue(
                    r,
                    check.column,
                    value,
                    "unknown_la_code",
                    "warning",
                    f"{value.strip()!r} is not a known {check.lookup.upper()} LA/region code "
                    "(dfe_las, dfe_lads, dfe_regions, GIAS, LAIT lists); row landed",
                )
    return _finish(con, src, rel, sha, path, run_id, "landed", rows_landed, issues)


def _parse_sql(name: str, kind: str) -> str:
    v = f"nullif(trim({_q(name)}), '')"
    if kind == "decimal":
        return f"try_cast({v} as double)"
    # integers: "202.0" (a float written out) is still the integer 202; "65.5" is not an integer
    return (
        f"coalesce(try_cast({v} as bigint), case when try_cast({v} as double) = round(try_cast({v} as double)) "
        f"then cast(try_cast({v} as double) as bigint) end)"
    )


def _finish(con, src, rel, sha, path, run_id, status, rows_landed, issues):
    """Record the file's outcome; its issues replace those of any earlier attempt at the same file."""
    con.execute("delete from ref.reference_issues where table_name = ? and source_file = ?", [src.table, rel])
    if issues:
        _bulk_issues(con, run_id, sha, issues)
    con.execute(
        "insert into ref.reference_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp::timestamp, ?)",
        [
            src.table,
            rel,
            sha,
            path.stat().st_size,
            src.format,
            status,
            rows_landed,
            len(issues),
            run_id,
            "; ".join(sorted({i.issue for i in issues if i.severity == "error"})) or None,
        ],
    )
    return FileOutcome(src.table, rel, sha, status, rows_landed, len(issues)), issues


def _bulk_issues(con, run_id, sha, issues):
    t = pa.table(
        {
            "run_id": [run_id] * len(issues),
            "table_name": [i.table_name for i in issues],
            "source_file": [i.source_file for i in issues],
            "sha256": [sha] * len(issues),
            "row_number": pa.array([i.row_number for i in issues], pa.int64()),
            "column_name": [i.column_name for i in issues],
            "value_excerpt": [i.value_excerpt for i in issues],
            "issue": [i.issue for i in issues],
            "severity": [i.severity for i in issues],
            "detail": [i.detail for i in issues],
        }
    )
    con.register("_ref_issues_arrow", t)
    con.execute(
        "insert into ref.reference_issues select *, current_timestamp::timestamp from _ref_issues_arrow"
    )
    con.unregister("_ref_issues_arrow")
