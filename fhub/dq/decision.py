"""Decide what this run may publish from its ``dq.check_results``.

* Any failing check with severity ``blocking_all`` blocks the whole publish (the published file stays as it
  was). So do structural faults of the indicator mart itself (:func:`audit_indicator_values`): empty, or
  duplicate primary keys.
* Failing ``withhold_scope`` checks become withheld scopes (borough × extract × period, with the reasons);
  :func:`fhub.dq.withhold.apply_withholdings` withholds only the values that depend on them.
* ``warn`` never stops anything; it shows on the scorecard and the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import duckdb

from fhub.dq.schema import columns_of, ensure_dq_schema, table_exists

#: Primary key of ``indicator_values`` (issue 3): one row per metric × geography × period × breakdown.
INDICATOR_KEY = ("metric_id", "geography_level", "geography_code", "period", "breakdown_type", "breakdown_value")


@dataclass(frozen=True)
class WithheldScope:
    borough_code: str
    extract_type: str | None  # None: every extract of the borough
    period: str | None  # None: every period
    reasons: tuple[str, ...]


@dataclass
class PublishDecision:
    block_all: bool
    block_reasons: list[str] = field(default_factory=list)
    withheld_scopes: list[WithheldScope] = field(default_factory=list)
    warnings: int = 0

    def to_dict(self) -> dict:
        """For the run manifest."""
        return asdict(self)

    def with_scopes(self, extra: list[WithheldScope]) -> PublishDecision:
        """A copy with ``extra`` scopes withheld too (reasons of the same scope are joined)."""
        merged: dict[tuple, list[str]] = {}
        for scope in [*self.withheld_scopes, *extra]:
            reasons = merged.setdefault((scope.borough_code, scope.extract_type, scope.period), [])
            reasons += [r for r in scope.reasons if r not in reasons]
        return PublishDecision(
            block_all=self.block_all,
            block_reasons=list(self.block_reasons),
            withheld_scopes=[WithheldScope(b, e, p, tuple(r)) for (b, e, p), r in sorted(merged.items(), key=str)],
            warnings=self.warnings,
        )

    def summary(self) -> str:
        if self.block_all:
            return "publish blocked: " + "; ".join(self.block_reasons)
        if self.withheld_scopes:
            scopes = ", ".join(
                f"{s.borough_code} {s.extract_type or 'all extracts'} {s.period or 'all periods'}"
                for s in self.withheld_scopes
            )
            return f"publish with {len(self.withheld_scopes)} withheld scope(s): {scopes}"
        return "publish: all checks passed" + (f" ({self.warnings} warnings)" if self.warnings else "")


def audit_indicator_values(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """Faults that make the whole indicator mart untrustworthy (empty / missing / duplicate keys)."""
    schema, name = relation.split(".", 1)
    if not table_exists(con, schema, name):
        return [f"{relation} does not exist"]
    if con.execute(f"select count(*) from {relation}").fetchone()[0] == 0:  # noqa: S608
        return [f"{relation} is empty"]
    available = columns_of(con, schema, name)
    key = [c for c in INDICATOR_KEY if c in available]
    if len(key) != len(INDICATOR_KEY):
        missing = sorted(set(INDICATOR_KEY) - set(available))
        return [f"{relation} lacks key columns {missing}"]
    dupes = con.execute(
        f"select count(*) from (select {', '.join(key)} from {relation} group by all having count(*) > 1)"  # noqa: S608
    ).fetchone()[0]
    return [f"{relation} has {dupes} duplicated primary keys ({', '.join(key)})"] if dupes else []


def decide_publish(
    con: duckdb.DuckDBPyConnection, run_id: str, *, indicator_relation: str | None
) -> PublishDecision:
    """Read this run's check results, and audit the indicator mart when ``indicator_relation`` is given (the work
    relation published as ``indicator_values``: ``fhub.dbt.contract.source_of(relations, "indicator_values")``)."""
    ensure_dq_schema(con)
    rows = con.execute(
        "select borough_code, extract_type, period, severity, status, message, check_name, source "
        "from dq.check_results where run_id = ? order by borough_code, extract_type, period, check_name",
        [run_id],
    ).fetchall()
    block: list[str] = []
    scopes: dict[tuple, list[str]] = {}
    warnings = 0
    for borough, extract, period, severity, status, message, check_name, source in rows:
        if status == "warn":
            warnings += 1
            continue
        if status != "fail":
            continue
        text = message or f"{source} check {check_name} failed"
        if severity == "blocking_all" or (severity == "withhold_scope" and not borough):
            block.append(text)
        elif severity == "withhold_scope":
            scopes.setdefault((borough, extract, period), [])
            if text not in scopes[(borough, extract, period)]:
                scopes[(borough, extract, period)].append(text)
        else:
            warnings += 1
    if indicator_relation:
        block.extend(audit_indicator_values(con, indicator_relation))
    return PublishDecision(
        block_all=bool(block),
        block_reasons=block,
        withheld_scopes=[
            WithheldScope(b, e, p, tuple(reasons)) for (b, e, p), reasons in sorted(scopes.items(), key=str)
        ],
        warnings=warnings,
    )
