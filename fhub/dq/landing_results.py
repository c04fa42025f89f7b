"""Landing bookkeeping (``landing.deliveries/rejects/warnings/quarantine``) → ``dq.check_results`` rows
(source ``landing``) and the delivery-arrival history ``dq.delivery_arrivals``.

Per delivery first seen in this run:

* ``file_landed`` (completeness): a quarantined file fails. Severity ``withhold_scope`` when no earlier landed
  delivery covers the same borough × extract × period (the period would be computed from nothing or from a
  part), ``warn`` when an earlier delivery still stands (its data are used) or when the file could not be
  attributed to a borough at all.
* ``rows_rejected`` (validity): share of delivered rows rejected. Above :data:`REJECT_WITHHOLD_SHARE` the
  scope is withheld; any rejects below that are a warning; none is a pass.
* ``rows_landed`` (completeness): a landed delivery with zero rows withholds the scope.
* ``rows_with_warnings`` (validity): accepted rows carrying warnings → ``warn``.

Results name a delivery by its label (``hackney contacts 2024-05 (delivery 3f2a91c0)``, its check id and target
too), never by its file name, and quote only landing's templated reasons (issue 13): they are published.

The ledger (every line accounted for), delivery checks (an ELG empty for the whole cohort), held files and
duplicates under another period's name: :mod:`fhub.dq.landing_ledger`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from fhub.dq.landing_ledger import ledger_check_results
from fhub.dq.periods import period_range
from fhub.dq.results import CheckResult, write_check_results
from fhub.dq.samples import landing_row_sample
from fhub.dq.schema import DELIVERY_ARRIVAL_COLUMNS, columns_of, ensure_dq_schema, insert_rows, table_exists
from fhub.landing.labels import delivery_label

#: More than this share of a delivery's rows rejected → the delivery's values are withheld.
REJECT_WITHHOLD_SHARE = 0.05


def _col(available: list[str], name: str, default: str = "null") -> str:
    return name if name in available else f"{default} as {name}"


def _top_reasons(con, table: str, delivery_id: str, limit: int = 3) -> list[tuple[str, str, int]]:
    if not table_exists(con, "landing", table):
        return []
    return con.execute(
        f"select coalesce(column_name, '(file)') || ': ' || coalesce(reason, ''), any_value(fix), count(*) "  # noqa: S608
        f"from landing.{table} where delivery_id = ? group by 1 order by 3 desc, 1 limit ?",
        [delivery_id, limit],
    ).fetchall()


def _safe_range(period: str | None):
    try:
        return period_range(period)
    except ValueError:
        return (None, None)


def landing_check_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[CheckResult]:
    if not table_exists(con, "landing", "deliveries"):
        return []
    cols = columns_of(con, "landing", "deliveries")
    deliveries = con.execute(
        f"select delivery_id, {_col(cols, 'borough_code')}, {_col(cols, 'extract_type')}, "  # noqa: S608
        f"{_col(cols, 'period')}, {_col(cols, 'delivery_label')}, {_col(cols, 'borough_slug')}, status, "
        f"{_col(cols, 'rows_delivered', '0')}, {_col(cols, 'rows_landed', '0')}, "
        f"{_col(cols, 'rows_rejected', '0')}, {_col(cols, 'rows_warned', '0')} "
        "from landing.deliveries where run_id = ? order by delivery_id",
        [run_id],
    ).fetchall()
    quarantine: dict[str, tuple[str, str]] = {}
    if table_exists(con, "landing", "quarantine"):
        for delivery_id, reason, fix in con.execute(
            "select delivery_id, reason, fix from landing.quarantine where run_id = ?", [run_id]
        ).fetchall():
            quarantine[delivery_id] = (reason or "", fix or "")
    out: list[CheckResult] = []
    for (
        delivery_id,
        borough,
        extract,
        period,
        label,
        slug,
        status,
        delivered,
        landed,
        rejected,
        warned,
    ) in deliveries:
        label = label or delivery_label(slug, extract, period, delivery_id)
        scope = {
            "borough_code": borough,
            "extract_type": extract,
            "period": period,
            "target_relation": label,
        }
        delivered, landed = int(delivered or 0), int(landed or 0)
        rejected, warned = int(rejected or 0), int(warned or 0)
        if status == "quarantined" or delivery_id in quarantine:
            reason, fix = quarantine.get(delivery_id, ("the file could not be read", ""))
            earlier = 0
            if borough and extract:
                earlier = con.execute(
                    "select count(*) from landing.deliveries where borough_code = ? and extract_type = ? "
                    "and period is not distinct from ? and status = 'landed' and delivery_id <> ?",
                    [borough, extract, period, delivery_id],
                ).fetchone()[0]
            severity = "withhold_scope" if borough and extract and not earlier else "warn"
            standing = " An earlier delivery for this period is still used." if earlier else ""
            out.append(
                CheckResult(
                    check_name="file_landed",
                    source="landing",
                    dimension="completeness",
                    severity=severity,
                    status="fail" if severity != "warn" else "warn",
                    observed_value="quarantined",
                    message=f"{label} was quarantined: {reason.rstrip('.')}.{standing}",
                    fix=fix or "Correct the file as the receipt explains and send it again.",
                    **scope,
                )
            )
            continue
        if status != "landed":
            continue
        out.append(
            CheckResult(
                check_name="file_landed",
                source="landing",
                dimension="completeness",
                severity="withhold_scope",
                status="pass",
                observed_value="landed",
                message=f"{label} landed.",
                **scope,
            )
        )
        if landed == 0:
            out.append(
                CheckResult(
                    check_name="rows_landed",
                    source="landing",
                    dimension="completeness",
                    severity="withhold_scope",
                    status="fail",
                    observed_value="0",
                    failing_rows=delivered,
                    failing_sample=landing_row_sample(con, "landing.rejects", delivery_id),
                    message=f"{label}: no rows could be landed (delivered {delivered}).",
                    fix="Check the file is the right extract and the mapping file matches its headers.",
                    **scope,
                )
            )
        share = rejected / delivered if delivered else 0.0
        if rejected == 0:
            status_r, severity_r, message, fix = (
                "pass",
                "withhold_scope",
                f"{label}: no rows rejected.",
                "",
            )
        else:
            reasons = _top_reasons(con, "rejects", delivery_id)
            listed = "; ".join(f"{text} ({n})" for text, _, n in reasons)
            withhold = share > REJECT_WITHHOLD_SHARE
            status_r = "fail" if withhold else "warn"
            severity_r = "withhold_scope" if withhold else "warn"
            message = (
                f"{label}: {rejected} of {delivered} rows ({share:.1%}) were rejected"
                + (f" — {listed}" if listed else "")
                + (". Values from this delivery are withheld." if withhold else ".")
            )
            fix = (reasons[0][1] if reasons and reasons[0][1] else "") or (
                "See the delivery receipt for each rejected row and what to change."
            )
        out.append(
            CheckResult(
                check_name="rows_rejected",
                source="landing",
                dimension="validity",
                severity=severity_r,
                status=status_r,
                observed_value=f"{share:.4f}",
                failing_rows=rejected,
                failing_sample=landing_row_sample(con, "landing.rejects", delivery_id) if rejected else [],
                message=message,
                fix=fix,
                **scope,
            )
        )
        if warned:
            reasons = _top_reasons(con, "warnings", delivery_id)
            listed = "; ".join(f"{text} ({n})" for text, _, n in reasons)
            out.append(
                CheckResult(
                    check_name="rows_with_warnings",
                    source="landing",
                    dimension="validity",
                    severity="warn",
                    status="warn",
                    observed_value=str(warned),
                    failing_rows=warned,
                    failing_sample=landing_row_sample(con, "landing.warnings", delivery_id),
                    message=f"{label}: {warned} rows landed with warnings"
                    + (f" — {listed}." if listed else "."),
                    fix=(reasons[0][1] if reasons and reasons[0][1] else "See the delivery receipt."),
                    **scope,
                )
            )
    return out


def record_delivery_arrivals(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Copy deliveries not yet in ``dq.delivery_arrivals`` (and refresh statuses) — arrival history. A delivery
    is recorded by its label; its file name stays in ``landing.deliveries`` (``source_file`` is left empty)."""
    ensure_dq_schema(con)
    if not table_exists(con, "landing", "deliveries"):
        return 0
    cols = columns_of(con, "landing", "deliveries")
    wanted = [
        name
        for name, _ in DELIVERY_ARRIVAL_COLUMNS
        if name not in {"recorded_at", "period_start", "period_end", "source_file"}
    ]
    rows = con.execute(
        f"select {', '.join(_col(cols, c) for c in wanted)}, {_col(cols, 'borough_slug')} "  # noqa: S608
        "from landing.deliveries where delivery_id not in (select delivery_id from dq.delivery_arrivals)"
    ).fetchall()
    now = datetime.now(UTC).replace(tzinfo=None)
    records = []
    for *row, slug in rows:
        rec = dict(zip(wanted, row, strict=True))
        start, end = _safe_range(rec["period"])
        rec.update(recorded_at=now, period_start=start, period_end=end, run_id=rec["run_id"] or run_id,
                   source_file=None)
        rec["delivery_label"] = rec["delivery_label"] or delivery_label(
            slug, rec["extract_type"], rec["period"], rec["delivery_id"])
        records.append(tuple(rec[name] for name, _ in DELIVERY_ARRIVAL_COLUMNS))
    names = [name for name, _ in DELIVERY_ARRIVAL_COLUMNS]
    insert_rows(con, "dq.delivery_arrivals", names, records)
    con.execute(
        "update dq.delivery_arrivals a set status = d.status from landing.deliveries d "
        "where a.delivery_id = d.delivery_id and a.status is distinct from d.status"
    )
    return len(records)


def record_landing_results(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """Record landing checks for deliveries first seen in ``run_id`` (and the standing ledger checks of every
    delivery in use, :mod:`fhub.dq.landing_ledger`) and update the arrival history."""
    results = landing_check_results(con, run_id) + ledger_check_results(con, run_id)
    written = write_check_results(con, run_id, "landing", results)
    record_delivery_arrivals(con, run_id)
    return written
