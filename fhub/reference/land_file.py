"""Landing one real published file into ``ref.<table>``: read it, check its header against the adapter, stage
and check its values, write the rows with lineage, check LA/region codes against the landed lookups, and record
the file's outcome and issues (the issue kinds: :mod:`fhub.reference.land`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from fhub.reference.config import ReferenceConfig, SourceLayout
from fhub.reference.readers import RawTable, read_csv, read_parquet_header, read_xlsx


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


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class CodeLookups:
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


def land_one_file(
    con: duckdb.DuckDBPyConnection,
    src: SourceLayout,
    config: ReferenceConfig,
    path: Path,
    rel: str,
    sha: str,
    run_id: str,
    lookups: CodeLookups,
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
        return record_file_outcome(con, src, rel, sha, path, run_id, "rejected", 0, issues)

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
        return record_file_outcome(con, src, rel, sha, path, run_id, "rejected", 0, issues)
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
        selects = ", ".join(f"cast({quote_name(header[i])} as varchar) as {quote_name(names[i])}" for i in range(n))
        con.execute(
            f"create temp table _ref_stage as select {selects}, cast(file_row_number + 1 as bigint) as _row_number "
            f"from read_parquet({quote_literal(str(path))}, file_row_number = true)"
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
    markers = ", ".join(quote_literal(m) for m in config.missing_markers)
    for col in src.columns:
        if col.type == "text":
            continue
        v = f"nullif(trim({quote_name(col.name)}), '')"
        rows = con.execute(
            f"select _row_number, {quote_name(col.name)}, {v} in ({markers}) from _ref_stage "
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
    all_cols = ", ".join(quote_name(c) for c in names)
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
        key_cols = ", ".join(quote_name(c) for c in src.key)
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
        select = [f"{quote_name(c)}" for c in names]
        select += [
            f"{_parse_sql(c.name, c.type)} as {quote_name(c.parsed_name)}" for c in src.columns if c.parsed_name
        ]
        if src.forward_fill:
            ff, part = src.forward_fill["column"], src.forward_fill["partition_by"]
            select.append(
                f"last_value(nullif(trim({quote_name(ff)}), '') ignore nulls) over (partition by {quote_name(part)} "
                f"order by _row_number rows between unbounded preceding and current row) as {quote_name(ff + '_filled')}"
            )
        select += [quote_literal(rel), quote_literal(sha), "_row_number", "current_timestamp::timestamp", quote_literal(run_id)]
        target = ", ".join(quote_name(n_) for n_, _t in src.table_columns())
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
            f"select _row_number, cast({quote_name(check.column)} as varchar) from {src.qualified} "
            f"where _source_file = ? and nullif(trim(cast({quote_name(check.column)} as varchar)), '') is not null{where} "
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
    return record_file_outcome(con, src, rel, sha, path, run_id, "landed", rows_landed, issues)


def _parse_sql(name: str, kind: str) -> str:
    v = f"nullif(trim({quote_name(name)}), '')"
    if kind == "decimal":
        return f"try_cast({v} as double)"
    # integers: "202.0" (a float written out) is still the integer 202; "65.5" is not an integer
    return (
        f"coalesce(try_cast({v} as bigint), case when try_cast({v} as double) = round(try_cast({v} as double)) "
        f"then cast(try_cast({v} as double) as bigint) end)"
    )


def record_file_outcome(con, src, rel, sha, path, run_id, status, rows_landed, issues):
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
