"""One data-quality check result, and how it is written to ``dq.check_results``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from fhub.dq.samples import SAMPLE_SIZE, key_entry
from fhub.dq.schema import (
    CHECK_RESULT_COLUMNS,
    DIMENSIONS,
    SEVERITIES,
    SOURCES,
    STATUSES,
    ensure_dq_schema,
    insert_rows,
)


@dataclass
class CheckResult:
    check_name: str
    source: str  # dbt | gx | landing
    dimension: str
    severity: str  # blocking_all | withhold_scope | warn
    status: str  # pass | fail | warn
    borough_code: str | None = None
    extract_type: str | None = None
    period: str | None = None
    target_relation: str | None = None
    observed_value: str | None = None
    failing_rows: int | None = None
    failing_sample: list[str] = field(default_factory=list)
    message: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        for value, allowed, what in (
            (self.source, SOURCES, "source"),
            (self.dimension, DIMENSIONS, "dimension"),
            (self.severity, SEVERITIES, "severity"),
            (self.status, STATUSES, "status"),
        ):
            if value not in allowed:
                raise ValueError(f"check {self.check_name!r}: {what} {value!r} is not one of {allowed}")

    @property
    def check_id(self) -> str:
        scope = "|".join(x or "" for x in (self.borough_code, self.extract_type, self.period))
        return f"{self.source}:{self.check_name}:{self.target_relation or ''}:{scope}"


def pseudonymised_sample(values: list | None, column: str | None) -> list[str]:
    """Keep a failing-row sample only when it is made of keyed hashes (columns named ``*_key``).

    Anything else (raw codes, dates, free text, identifiers that slipped through) is dropped: the sample
    must never carry personal data. Keys are shortened to 16 hex characters, enough to find the row.
    """
    if not values or not column:
        return []
    columns = [column] if isinstance(column, str) else list(column)
    if not columns or not all(str(c).endswith("_key") for c in columns):
        return []
    out: list[str] = []
    for value in values[:SAMPLE_SIZE]:
        parts = list(value.values()) if isinstance(value, dict) else [value]
        keys = [key_entry(v) for v in parts]
        if all(keys):  # a value in a *_key column that is not a keyed hash (e.g. unhashed) is never kept
            out.append("/".join(keys))
    return out


def write_check_results(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    results: list[CheckResult],
    checked_at: datetime | None = None,
) -> int:
    """Replace this run's rows for ``source`` with ``results`` (so re-recording a run is idempotent)."""
    ensure_dq_schema(con)
    checked_at = checked_at or datetime.now(UTC).replace(tzinfo=None)
    seen: dict[str, CheckResult] = {}
    for result in results:
        key = result.check_id
        if key in seen:  # same check twice in one run (e.g. two batches of one table): keep the worst
            rank = {"fail": 2, "warn": 1, "pass": 0}
            if rank[result.status] <= rank[seen[key].status]:
                continue
        seen[key] = result
    names = [name for name, _ in CHECK_RESULT_COLUMNS]
    rows = [
        (
            run_id,
            r.check_id,
            checked_at,
            r.borough_code,
            r.extract_type,
            r.period,
            r.check_name,
            r.source,
            r.target_relation,
            r.dimension,
            r.severity,
            r.status,
            r.observed_value,
            r.failing_rows,
            json.dumps(r.failing_sample) if r.failing_sample else None,
            r.message,
            r.fix,
        )
        for r in seen.values()
    ]
    con.execute("begin transaction")
    try:
        con.execute("delete from dq.check_results where run_id = ? and source = ?", [run_id, source])
        insert_rows(con, "dq.check_results", names, rows)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(rows)
