"""History written before messages were templates (issue 13): a running warehouse's old data-quality rows and
arrivals quoted file names, heading lines and error texts. The first run of the new version rewrites them from
their structured columns, once, so the published history never carries them again."""

from __future__ import annotations

import duckdb

from fhub.dq.history import MIGRATION_ID, landing_message, migrate_history
from fhub.dq.schema import CHECK_RESULT_COLUMNS, DELIVERY_ARRIVAL_COLUMNS, ensure_dq_schema
from fhub.landing.ddl import LANDING_DDL

NAME = "9434765919 Amelia Okonkwo.csv"
LEAKS = ("9434765919", "Amelia", "Okonkwo", "Smith")


def _old_work_file() -> duckdb.DuckDBPyConnection:
    """A work file as the previous version left it: no labels, raw text in messages."""
    con = duckdb.connect()
    for stmt in LANDING_DDL:
        con.execute(stmt)
    con.execute("alter table landing.deliveries drop column delivery_label")  # as the earlier version made it
    con.execute("create schema dq")
    cols = ", ".join(f"{n} {t}" for n, t in CHECK_RESULT_COLUMNS)
    con.execute(f"create table dq.check_results ({cols})")
    cols = ", ".join(f"{n} {t}" for n, t in DELIVERY_ARRIVAL_COLUMNS if n != "delivery_label")
    con.execute(f"create table dq.delivery_arrivals ({cols})")
    deliveries = [("a" * 64, "E09000012", "hackney", None, None, NAME, "quarantined", 0, 0),
                  ("b" * 64, "E09000012", "hackney", "contacts", "2024-05", "hackney_contacts_2024-05.csv",
                   "landed", 100, 10)]
    for did, code, slug, extract, period, name, status, delivered, rejected in deliveries:
        con.execute("insert into landing.deliveries (delivery_id, borough_code, borough_slug, extract_type, period, "
                    "source_file, sha256, size_bytes, loaded_at, run_id, status, rows_delivered, rows_landed, "
                    "rows_rejected, rows_warned) values (?, ?, ?, ?, ?, ?, ?, 1, now(), 'old-run', ?, ?, ?, ?, 0)",
                    [did, code, slug, extract, period, name, did, status, delivered, delivered - rejected, rejected])
        con.execute("insert into dq.delivery_arrivals (delivery_id, run_id, borough_code, extract_type, period, "
                    "source_file, status) values (?, 'old-run', ?, ?, ?, ?, ?)",
                    [did, code, extract, period, name, status])
    checks = [
        ("landing", "file_landed", "E09000012", None, None, NAME, "warn", "warn", None, None,
         f"{NAME} was quarantined: Required column(s) 'ContactRef' not found. Headings found: '9434765919', "
         "'Amelia', 'Okonkwo'.", "Send the agreed headings."),
        ("landing", "rows_rejected", "E09000012", "contacts", "2024-05", "hackney_contacts_2024-05.csv",
         "withhold_scope", "fail", "0.1000", 10,
         "hackney_contacts_2024-05.csv: 10 of 100 rows (10.0%) were rejected — HubCode: The hub Amelia Smith is "
         "not a known family hub. (10)", "Use the hub id."),
        ("dbt", "builds:fct_hub_contacts", None, None, None, "fct_hub_contacts", "blocking_all", "fail", "error",
         None, "dbt could not build fct_hub_contacts: Conversion Error: Could not convert string 'Amelia "
         "Okonkwo 9434765919' to DATE", "Read the dbt log."),
        ("gx", "expect_x", "E09000012", "eyfsp", "2023/24", "eyfsp", "withhold_scope", "fail", None, None,
         "eyfsp: the check could not run (ValueError: bad value 'Amelia Okonkwo')." , "Fix it."),
        ("dbt", "not_null_x", None, None, None, "fct_x", "warn", "pass", "0", 0, "fct_x: not_null test passed.", ""),
    ]
    for source, name, borough, extract, period, target, severity, status, observed, failing, message, fix in checks:
        scope = "|".join(x or "" for x in (borough, extract, period))
        con.execute("insert into dq.check_results values ('old-run', ?, now(), ?, ?, ?, ?, ?, ?, 'validity', ?, ?, ?, "
                    "?, null, ?, ?)",
                    [f"{source}:{name}:{target}:{scope}", borough, extract, period, name, source, target, severity,
                     status, observed, failing, message, fix])
    return con


def _text(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    return " ".join(str(v) for row in con.execute(sql).fetchall() for v in row if v is not None)


def test_old_rows_are_rewritten_once_without_raw_text():
    con = _old_work_file()
    ensure_dq_schema(con)  # what every nightly does first
    shown = _text(con, "select check_id, target_relation, message, fix, observed_value from dq.check_results")
    shown += _text(con, "select * from dq.delivery_arrivals")
    assert not [leak for leak in LEAKS if leak in shown], shown
    rows = dict(con.execute("select check_name, message from dq.check_results").fetchall())
    assert rows["file_landed"] == ("hackney file with an unrecognised name (delivery aaaaaaaa) was quarantined "
                                   "(see that run's receipt).")
    assert rows["rows_rejected"] == ("hackney contacts 2024-05 (delivery bbbbbbbb): 10 rows (10.0%) were rejected. "
                                     "Values from this delivery are withheld.")
    assert rows["builds:fct_hub_contacts"] == "dbt could not build fct_hub_contacts (the error text is not kept)."
    assert rows["expect_x"] == "eyfsp: the check could not run (the error text is not kept)."
    assert rows["not_null_x"] == "fct_x: not_null test passed."  # nothing to change
    ids = [r[0] for r in con.execute("select check_id from dq.check_results").fetchall()]
    assert len(ids) == len(set(ids)) and "landing:rows_rejected:hackney contacts 2024-05 (delivery bbbbbbbb):" \
        "E09000012|contacts|2024-05" in ids
    assert con.execute("select count(*) from dq.delivery_arrivals where source_file is not null").fetchone() == (0,)
    assert con.execute("select delivery_label from dq.delivery_arrivals order by delivery_id").fetchall() == [
        ("hackney file with an unrecognised name (delivery aaaaaaaa)",),
        ("hackney contacts 2024-05 (delivery bbbbbbbb)",)]
    assert con.execute("select migration_id from dq.migrations").fetchall() == [(MIGRATION_ID,)]
    # later rows are the new code's and are never touched again
    con.execute("update dq.check_results set message = 'written by the new code' where check_name = 'expect_x'")
    assert migrate_history(con) is None
    ensure_dq_schema(con)
    assert con.execute("select message from dq.check_results where check_name = 'expect_x'").fetchone() == (
        "written by the new code",)


def test_a_new_work_file_records_the_migration_before_any_row():
    con = duckdb.connect()
    ensure_dq_schema(con)
    assert con.execute("select rows_changed from dq.migrations").fetchall() == [(0,)]


def test_landing_messages_are_built_from_counts_and_labels_only():
    label = "camden eyfsp 2023/24 (delivery 12345678)"
    assert landing_message("rows_with_warnings", "warn", label, 4, "4") == f"{label}: 4 rows landed with warnings."
    assert landing_message("rows_rejected", "warn", label, 2, "0.0200") == f"{label}: 2 rows (2.0%) were rejected."
    assert landing_message("rows_landed", "fail", label, 5, "0") == f"{label}: no rows could be landed."
