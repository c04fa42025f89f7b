"""Landing's ledger and holds as data-quality results (source ``landing``):

* ``lines_accounted`` (completeness): every line of a delivery in use is landed, rejected or explained
  (``landing.reconciliation``). Any unexplained line withholds the delivery's borough × extract × period —
  every night while that delivery is in use, not only the night it arrived. A pass is recorded for the
  deliveries first seen in the run.
* delivery checks (``landing.delivery_checks``, e.g. ``elg_judgements_present``: an ELG empty for the whole
  cohort leaves no complete profile, so GLD cannot be computed): withhold the scope every night while the
  delivery is in use.
* ``file_in_use`` (completeness) for a delivery first seen in the run and *held* (its rows belong to another
  period, or it drops too much of the delivery in use), and ``file_landed`` for identical bytes received
  under another period's name (the named period is still missing): ``withhold_scope`` when no landed
  delivery covers that scope, else ``warn`` (the earlier delivery stays in use).

Messages name deliveries by their label (borough, extract, period and delivery id), never by file name.
"""

from __future__ import annotations

import duckdb

from fhub.dq.results import CheckResult
from fhub.dq.schema import table_exists
from fhub.landing.labels import delivery_label


def _covered(con: duckdb.DuckDBPyConnection, borough: str | None, extract: str | None, period: str | None,
             other_than: str | None = None) -> bool:
    if not (borough and extract):
        return False
    return bool(con.execute(
        "select count(*) from landing.deliveries where borough_code = ? and extract_type = ? "
        "and period is not distinct from ? and status = 'landed' and delivery_id is distinct from ?",
        [borough, extract, period, other_than]).fetchone()[0])


def ledger_check_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckResult]:
    out: list[CheckResult] = []
    if table_exists(con, "landing", "reconciliation"):
        rows = con.execute("""
            select d.delivery_id, d.borough_code, d.extract_type, d.period, d.delivery_label,
                   r.lines_physical, r.lines_unexplained
            from landing.deliveries d join landing.reconciliation r using (delivery_id)
            where d.status = 'landed' and (r.lines_unexplained <> 0 or d.run_id = ?)
            order by d.delivery_id
        """, [run_id]).fetchall()
        for _did, borough, extract, period, label, physical, unexplained in rows:
            scope = {"borough_code": borough, "extract_type": extract, "period": period, "target_relation": label}
            if unexplained:
                out.append(CheckResult(
                    check_name="lines_accounted", source="landing", dimension="completeness",
                    severity="withhold_scope", status="fail", observed_value=str(unexplained),
                    failing_rows=abs(int(unexplained)),
                    message=(f"{label}: {abs(unexplained):,} of its "
                             f"{physical:,} lines are not accounted for as landed, rejected, blank, heading or "
                             "footer lines; its figures are withheld."),
                    fix="Hub data team: compare the file with its receipt's ledger line; ask the borough to send "
                        "it again if rows are missing.", **scope))
            else:
                out.append(CheckResult(
                    check_name="lines_accounted", source="landing", dimension="completeness",
                    severity="withhold_scope", status="pass", observed_value="0", failing_rows=0,
                    message=f"{label}: all {physical:,} lines accounted for.",
                    **scope))
    if table_exists(con, "landing", "delivery_checks"):
        for _did, borough, extract, period, label, check, rows, message, fix in con.execute("""
            select c.delivery_id, d.borough_code, d.extract_type, d.period, d.delivery_label, c.check_name,
                   c.failing_rows, c.message, c.fix
            from landing.delivery_checks c join landing.deliveries d using (delivery_id)
            where d.status = 'landed' order by 1, 6
        """).fetchall():
            out.append(CheckResult(
                check_name=check, source="landing", dimension="completeness", severity="withhold_scope",
                status="fail", observed_value=str(rows), failing_rows=rows,
                message=f"{label}: {message}", fix=fix or "",
                borough_code=borough, extract_type=extract, period=period, target_relation=label))
    out += _held_results(con, run_id)
    out += _duplicate_results(con, run_id)
    return out


def _held_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckResult]:
    if not table_exists(con, "landing", "holds"):
        return []
    out = []
    for did, borough, extract, period, label, kind, reason, fix in con.execute("""
        select d.delivery_id, d.borough_code, d.extract_type, d.period, d.delivery_label, h.kind, h.reason, h.fix
        from landing.deliveries d join landing.holds h using (delivery_id)
        where d.run_id = ? and d.status = 'held' order by 1
    """, [run_id]).fetchall():
        standing = _covered(con, borough, extract, period, did)
        out.append(CheckResult(
            check_name="file_in_use", source="landing", dimension="completeness",
            severity="warn" if standing else "withhold_scope", status="warn" if standing else "fail",
            observed_value=f"held: {kind}",
            message=f"{label} was held: {reason}"
                    + (" An earlier delivery for this period is still used." if standing else ""),
            fix=fix or "", borough_code=borough, extract_type=extract, period=period, target_relation=label))
    return out


def _duplicate_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckResult]:
    if not table_exists(con, "landing", "file_events"):
        return []
    out = []
    for slug, dup_of, borough, extract, period, reason, fix in con.execute("""
        select borough_slug, duplicate_of, borough_code, extract_type, period, reason, fix from landing.file_events
        where run_id = ? and event = 'duplicate' order by 2, 5
    """, [run_id]).fetchall():
        standing = _covered(con, borough, extract, period)
        out.append(CheckResult(
            check_name="file_landed", source="landing", dimension="completeness",
            severity="warn" if standing else "withhold_scope", status="warn" if standing else "fail",
            observed_value="duplicate", message=f"{delivery_label(slug, extract, period, dup_of)}: {reason}"
            + (" An earlier delivery for this period is still used." if standing else ""),
            fix=fix or "", borough_code=borough, extract_type=extract, period=period,
            target_relation=delivery_label(slug, extract, period, dup_of)))
    return out
