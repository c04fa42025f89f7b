"""History written before messages were templates (issue 13), brought into line once per work file.

Data-quality results are history: every night republishes all of ``dq.check_results`` (``dq_check_results``),
so a row an earlier version wrote with a file name or a raw heading line in it would be published again every
night. :func:`migrate_history` runs once per work file (recorded in ``dq.migrations``; a new work file records
it before it holds any row) and, for every row that existed then:

* ``dq.check_results`` from landing: check id, target and message are re-derived from the row's structured
  columns (check, status, counts) and the delivery's label; the old text is not kept. The fix points to the
  run's receipt. Rows from dbt and GX keep their text without any database error detail (``dbt could not
  build X: <error>`` → ``dbt could not build X (the error text is not kept).``), identifier-like substrings
  replaced by their tag.
* ``dq.delivery_arrivals``: labelled; ``source_file`` emptied (the name stays in ``landing.deliveries``).
* ``landing.rejects`` / ``landing.warnings`` / ``landing.quarantine`` (work file only, read by nothing that
  publishes): the kept value excerpt is dropped and identifier-like substrings in reasons, fixes and column
  names are replaced by their tag.

Files an earlier version already wrote outside the work file (receipts, manifests, reports, exports of
earlier runs) are not rewritten here; see docs/architecture.md ("Messages are templates").
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from fhub.dq.schema import columns_of, table_exists

MIGRATION_ID = "issue-13-templated-messages"
_REPLACED = "(the error text is not kept)"


def _applied(con: duckdb.DuckDBPyConnection) -> bool:
    con.execute(
        "create table if not exists dq.migrations (migration_id varchar primary key, applied_at timestamp, "
        "rows_changed bigint)"
    )
    row = con.execute("select count(*) from dq.migrations where migration_id = ?", [MIGRATION_ID]).fetchone()
    return bool(row[0])


def migrate_history(con: duckdb.DuckDBPyConnection) -> int | None:
    """Apply the migration if this work file has not had it; returns rows changed (None: already applied)."""
    if _applied(con):
        return None
    from fhub.privacy import duckdb_functions

    duckdb_functions.register(con)
    changed = 0
    con.execute("begin transaction")
    try:
        changed += _landing_check_results(con)
        changed += _other_check_results(con)
        changed += _delivery_arrivals(con)
        changed += _landing_problems(con)
        con.execute(
            "insert into dq.migrations values (?, ?, ?)",
            [MIGRATION_ID, datetime.now(UTC).replace(tzinfo=None), changed],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return changed


def _labels_by_file(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(run id, file name) → label of the deliveries first recorded in that run."""
    if not table_exists(con, "landing", "deliveries"):
        return {}
    from fhub.landing.ddl import label_deliveries

    if "borough_slug" not in columns_of(con, "landing", "deliveries"):
        return {}
    label_deliveries(con)
    rows = con.execute(
        "select run_id, source_file, any_value(delivery_label) from landing.deliveries group by all"
    ).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def landing_message(check_name: str, status: str, label: str, failing_rows: int | None,
                    observed: str | None) -> str:
    """The templated message of a landing check result, from its structured columns only."""
    n = failing_rows or 0
    if check_name == "file_landed":
        return f"{label} landed." if status == "pass" else f"{label} was quarantined (see that run's receipt)."
    if check_name == "rows_landed":
        return f"{label}: no rows could be landed."
    if check_name == "rows_rejected":
        if status == "pass":
            return f"{label}: no rows rejected."
        try:
            share = f" ({float(observed or 0):.1%})"
        except ValueError:
            share = ""
        tail = ". Values from this delivery are withheld." if status == "fail" else "."
        return f"{label}: {n} rows{share} were rejected{tail}"
    if check_name == "rows_with_warnings":
        return f"{label}: {n} rows landed with warnings."
    return f"{label}: landing check {check_name} {status}."


def _landing_check_results(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.execute(
        "select run_id, check_id, check_name, status, failing_rows, observed_value, target_relation, "
        "borough_code, extract_type, period from dq.check_results where source = 'landing' "
        "order by run_id, check_id"
    ).fetchall()
    if not rows:
        return 0
    labels = _labels_by_file(con)
    unknown: dict[tuple, int] = {}
    new_rows = []
    for run_id, check_id, name, status, failing, observed, target, borough, extract, period in rows:
        label = labels.get((run_id, target))
        if label is None:  # the delivery is not in landing.deliveries any more: a neutral label
            scope = (run_id, borough, extract, period)
            unknown.setdefault(scope, len(unknown) + 1)
            label = f"{borough or 'a borough'} {extract or 'file'} {period or ''} (earlier delivery " \
                    f"{unknown[scope]})".replace("  ", " ")
        scope_text = "|".join(x or "" for x in (borough, extract, period))
        new_rows.append((run_id, check_id, f"landing:{name}:{label}:{scope_text}", label,
                         landing_message(name, status, label, failing, observed),
                         "" if status == "pass" else f"See the delivery receipt of run {run_id}: each row and "
                         "what to change."))
    table = pa.table({
        name: pa.array([r[i] for r in new_rows], pa.string())
        for i, name in enumerate(("run_id", "old_id", "check_id", "target", "message", "fix"))
    })
    con.register("_history_arrow", table)
    try:
        con.execute(
            "update dq.check_results c set check_id = h.check_id, target_relation = h.target, message = h.message, "
            "fix = h.fix from _history_arrow h where c.source = 'landing' and c.run_id = h.run_id "
            "and c.check_id = h.old_id"
        )
    finally:
        con.unregister("_history_arrow")
    return len(new_rows)


def _scrubbed(column: str) -> str:
    from fhub.privacy.duckdb_functions import may_hold_identifier_sql

    return f"case when {may_hold_identifier_sql(column)} then fhub_scrub({column}) else {column} end"


def _other_check_results(con: duckdb.DuckDBPyConnection) -> int:
    message = (
        f"regexp_replace(regexp_replace(regexp_replace(message, "
        f"'^(dbt could not build [^:]+): .*$', '\\1 {_REPLACED}.', 's'), "
        f"'^(The .+? test on .+? could not run): .*$', '\\1 {_REPLACED}.', 's'), "
        f"'^(.*?: the check could not run) \\(.*\\)\\.$', '\\1 {_REPLACED}.', 's')"
    )
    con.execute(f"create or replace temp table _msg as select run_id, check_id, source, {message} as m "
                "from dq.check_results where source <> 'landing'")
    n = con.execute(
        f"update dq.check_results c set message = {_scrubbed('t.m')}, fix = {_scrubbed('c.fix')}, "
        f"observed_value = {_scrubbed('c.observed_value')} from _msg t "
        "where t.run_id = c.run_id and t.check_id = c.check_id and t.source = c.source"
    ).fetchone()[0]
    con.execute("drop table _msg")
    return int(n)


def _delivery_arrivals(con: duckdb.DuckDBPyConnection) -> int:
    if not table_exists(con, "dq", "delivery_arrivals"):
        return 0
    labels = con.execute("select count(*) from dq.delivery_arrivals").fetchone()[0]
    if not labels:
        return 0
    if table_exists(con, "landing", "deliveries") and "delivery_label" in columns_of(con, "landing", "deliveries"):
        con.execute(
            "update dq.delivery_arrivals a set delivery_label = d.delivery_label from landing.deliveries d "
            "where a.delivery_id = d.delivery_id and a.delivery_label is null"
        )
    con.execute(
        "update dq.delivery_arrivals set delivery_label = coalesce(borough_code, 'a borough') || ' ' || "
        "coalesce(extract_type, 'file') || ' ' || coalesce(period, '') || ' (delivery ' || left(delivery_id, 8) "
        "|| ')' where delivery_label is null"
    )
    con.execute("update dq.delivery_arrivals set source_file = null where source_file is not null")
    return int(labels)


def _landing_problems(con: duckdb.DuckDBPyConnection) -> int:
    changed = 0
    for table in ("rejects", "warnings"):
        if table_exists(con, "landing", table):
            changed += con.execute(
                f"update landing.{table} set value_excerpt = null, reason = {_scrubbed('reason')}, "
                f"fix = {_scrubbed('fix')}, column_name = {_scrubbed('column_name')}"
            ).fetchone()[0]
    if table_exists(con, "landing", "quarantine"):
        changed += con.execute(
            f"update landing.quarantine set reason = {_scrubbed('reason')}, fix = {_scrubbed('fix')}"
        ).fetchone()[0]
    return int(changed)
