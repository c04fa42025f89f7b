"""DQ results as data: dbt, GX and landing results become dq.check_results rows; decide_publish reads them."""

from __future__ import annotations

import json

import duckdb
import pytest

from fhub.dq import (
    decide_publish,
    ensure_dq_schema,
    gx_check_results,
    record_dbt_results,
    record_gx_results,
    record_landing_results,
)
from fhub.dq.periods import financial_quarter, overlaps, period_range

HACKNEY = "E09000012"


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_dq_schema(c)
    yield c
    c.close()


def _write_dbt_target(tmp_path, statuses: dict[str, tuple[str, int]]):
    nodes = {
        "model.family_hubs.indicator_values": {
            "name": "indicator_values",
            "alias": "indicator_values",
            "resource_type": "model",
            "access": "public",
        },
        "model.family_hubs.fct_hub_contacts": {"name": "fct_hub_contacts", "alias": "fct_hub_contacts"},
        "test.family_hubs.unique_indicator_values_id.abc": {
            "name": "unique_indicator_values_id",
            "attached_node": "model.family_hubs.indicator_values",
            "column_name": "id",
            "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
            "config": {"severity": "ERROR", "meta": {}},
        },
        "test.family_hubs.accepted_values_fct_hub_contacts_venue.def": {
            "name": "accepted_values_fct_hub_contacts_venue",
            "attached_node": "model.family_hubs.fct_hub_contacts",
            "column_name": "venue",
            "test_metadata": {"name": "accepted_values", "kwargs": {"column_name": "venue"}},
            "config": {"severity": "warn", "meta": {}},
        },
    }
    manifest = {
        "nodes": nodes,
        "unit_tests": {
            "unit_test.family_hubs.indicator_values.london_sum": {
                "name": "london_sum",
                "model": "indicator_values",
                "config": {},
            }
        },
    }
    results = [
        {"unique_id": uid, "status": st, "failures": n, "message": None} for uid, (st, n) in statuses.items()
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    return tmp_path


def test_dbt_results_recorded_with_dimension_and_severity(con, tmp_path):
    target = _write_dbt_target(
        tmp_path,
        {
            "model.family_hubs.indicator_values": ("success", None),
            "test.family_hubs.unique_indicator_values_id.abc": ("fail", 3),
            "test.family_hubs.accepted_values_fct_hub_contacts_venue.def": ("warn", 2),
            "unit_test.family_hubs.indicator_values.london_sum": ("pass", 0),
        },
    )
    assert record_dbt_results(con, "r1", target) == 3
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select check_name, dimension, severity, status, failing_rows, target_relation from dq.check_results"
        ).fetchall()
    }
    assert rows["unique_indicator_values_id"] == ("uniqueness", "blocking_all", "fail", 3, "indicator_values")
    assert rows["accepted_values_fct_hub_contacts_venue"][:3] == ("validity", "warn", "warn")
    assert rows["london_sum"][2] == "pass"
    decision = decide_publish(con, "r1", indicator_relation=None)
    assert decision.block_all and "duplicate" in decision.block_reasons[0]
    # recording the same run again replaces, it does not duplicate
    record_dbt_results(con, "r1", target)
    assert con.execute("select count(*) from dq.check_results").fetchone()[0] == 3


def test_dbt_missing_run_results_names_the_file(con, tmp_path):
    with pytest.raises(FileNotFoundError, match="run_results.json"):
        record_dbt_results(con, "r1", tmp_path)


def test_gx_plain_dicts_scoped_failure_and_private_sample(con):
    results = [
        {
            "expectation_type": "expect_column_values_to_not_be_null",
            "suite": "eyfsp",
            "table": "marts.fct_eyfsp_results",
            "column": "birth_month",
            "success": False,
            "unexpected_count": 12,
            "partial_unexpected_list": ["2019-07-01"],
            "meta": {"borough_code": HACKNEY, "extract_type": "eyfsp", "period": "2023/24"},
        },
        {
            "expectation_type": "expect_column_values_to_be_unique",
            "table": "marts.fct_eyfsp_results",
            "column": "person_key",
            "success": False,
            "unexpected_count": 2,
            "partial_unexpected_list": ["a" * 64, "b" * 64],
            "meta": {
                "borough_code": HACKNEY,
                "extract_type": "eyfsp",
                "period": "2023/24",
                "severity": "warn",
            },
        },
        {
            "expectation_type": "expect_table_row_count_to_be_between",
            "table": "marts.indicator_values",
            "success": True,
            "observed_value": 5000,
            "meta": {},
        },
    ]
    checks = gx_check_results(results)
    assert [c.dimension for c in checks] == ["completeness", "uniqueness", "completeness"]
    assert checks[0].severity == "withhold_scope" and checks[0].status == "fail"
    assert checks[0].failing_sample == []  # a birth month is not a pseudonymised key: never sampled
    assert checks[1].status == "warn" and checks[1].failing_sample == ["a" * 16, "b" * 16]
    assert checks[2].status == "pass"
    record_gx_results(con, "r1", results)
    decision = decide_publish(con, "r1", indicator_relation=None)
    assert not decision.block_all
    assert [(s.borough_code, s.extract_type, s.period) for s in decision.withheld_scopes] == [
        (HACKNEY, "eyfsp", "2023/24")
    ]
    assert "12 rows" in decision.withheld_scopes[0].reasons[0]


def test_gx_suite_validation_result_object_is_read():
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    evr = ExpectationValidationResult(
        success=False,
        expectation_config=ExpectationConfiguration(
            type="expect_column_values_to_be_between",
            kwargs={"column": "age_months", "min_value": 0, "max_value": 72},
            meta={"borough_code": HACKNEY, "extract_type": "assessments", "period": "2024/25 Q1"},
        ),
        result={"unexpected_count": 4, "partial_unexpected_list": [80, 99]},
    )
    suite = ExpectationSuiteValidationResult(
        success=False,
        results=[evr],
        suite_name="assessments",
        meta={"batch_spec": {"table_name": "fct_assessments"}},
    )
    [check] = gx_check_results(suite)
    assert (check.dimension, check.severity, check.status, check.failing_rows) == (
        "plausibility",
        "withhold_scope",
        "fail",
        4,
    )
    assert check.target_relation == "fct_assessments" and check.failing_sample == []


def test_unscoped_gx_failure_blocks_everything(con):
    record_gx_results(
        con,
        "r2",
        [
            {
                "expectation_type": "expect_table_row_count_to_be_between",
                "table": "marts.indicator_values",
                "success": False,
                "observed_value": 0,
            }
        ],
    )
    assert decide_publish(con, "r2", indicator_relation=None).block_all


def _landing(con):
    con.execute("create schema landing")
    con.execute(
        "create table landing.deliveries (delivery_id varchar, borough_code varchar, borough_slug varchar, "
        "extract_type varchar, period varchar, source_file varchar, sha256 varchar, size_bytes bigint, "
        "received_at timestamp, loaded_at timestamp, run_id varchar, status varchar, rows_delivered bigint, "
        "rows_landed bigint, rows_rejected bigint, rows_warned bigint, superseded_by varchar)"
    )
    con.execute(
        "create table landing.rejects (delivery_id varchar, source_file varchar, row_number bigint, "
        "column_name varchar, value_excerpt varchar, reason varchar, fix varchar, run_id varchar)"
    )
    con.execute("create table landing.warnings as select * from landing.rejects limit 0")
    con.execute(
        "create table landing.quarantine (delivery_id varchar, borough_slug varchar, source_file varchar, "
        "sha256 varchar, reason varchar, fix varchar, run_id varchar, quarantined_at timestamp)"
    )
    deliveries = [
        ("d1", HACKNEY, "contacts", "2024-05", "hackney_contacts_2024-05.csv", "landed", 400, 362, 38, 0),
        ("d2", "E09000024", "contacts", "2024-05", "merton_contacts_2024-05.csv", "landed", 500, 497, 3, 5),
        ("d3", "E09000033", "eyfsp", "2023/24", "wm_eyfsp.xlsx", "quarantined", 0, 0, 0, 0),
        ("d4", "E09000033", "contacts", "2024-05", "wm_contacts_2024-05.csv", "landed", 300, 300, 0, 0),
    ]
    for d in deliveries:
        con.execute(
            "insert into landing.deliveries values (?, ?, 'x', ?, ?, ?, ?, 1, timestamp '2024-06-10 09:00', "
            "timestamp '2024-06-11 02:00', 'r1', ?, ?, ?, ?, ?, null)",
            [d[0], d[1], d[2], d[3], d[4], d[0], *d[5:]],
        )
    for i in range(38):
        con.execute(
            "insert into landing.rejects values ('d1', 'f', ?, 'hub_id', 'XX-9', 'not a Hackney hub', "
            "'Use a hub id from the hub register.', 'r1')",
            [i + 2],
        )
    con.execute(
        "insert into landing.quarantine values ('d3', 'westminster', 'wm_eyfsp.xlsx', 'd3', "
        "'sheet EYFSP not found', 'Name the sheet as in the mapping file.', 'r1', now())"
    )


def test_landing_results_withhold_high_reject_share_and_unreplaced_quarantine(con):
    _landing(con)
    record_landing_results(con, "r1")
    rows = con.execute(
        "select borough_code, check_name, status, severity, message, fix from dq.check_results "
        "where status <> 'pass' order by 1, 2"
    ).fetchall()
    by = {(r[0], r[1]): r for r in rows}
    assert by[(HACKNEY, "rows_rejected")][2:4] == ("fail", "withhold_scope")
    assert (
        "38 of 400" in by[(HACKNEY, "rows_rejected")][4]
        and "not a Hackney hub (38)" in by[(HACKNEY, "rows_rejected")][4]
    )
    assert by[(HACKNEY, "rows_rejected")][5] == "Use a hub id from the hub register."
    assert by[("E09000024", "rows_rejected")][2:4] == ("warn", "warn")  # 0.6% is a warning only
    assert by[("E09000024", "rows_with_warnings")][2] == "warn"
    assert by[("E09000033", "file_landed")][2:4] == ("fail", "withhold_scope")
    decision = decide_publish(con, "r1", indicator_relation=None)
    assert {(s.borough_code, s.extract_type, s.period) for s in decision.withheld_scopes} == {
        (HACKNEY, "contacts", "2024-05"),
        ("E09000033", "eyfsp", "2023/24"),
    }
    assert con.execute("select count(*) from dq.delivery_arrivals").fetchone()[0] == 4
    assert con.execute(
        "select period_start, period_end from dq.delivery_arrivals where delivery_id = 'd3'"
    ).fetchone() == (period_range("2023/24")[0], period_range("2023/24")[1])


def test_landing_without_landing_tables_records_nothing(con):
    assert record_landing_results(con, "r1") == 0


def test_audit_blocks_empty_and_duplicate_indicator_values(con):
    con.execute("create schema marts")
    con.execute(
        "create table marts.indicator_values (metric_id varchar, geography_level varchar, "
        "geography_code varchar, period varchar, breakdown_type varchar, breakdown_value varchar)"
    )
    assert decide_publish(con, "r9", indicator_relation="marts.indicator_values").block_reasons == ["marts.indicator_values is empty"]
    con.execute(
        "insert into marts.indicator_values values ('gld','borough','E09000012','2023/24','total','total')"
    )
    assert not decide_publish(con, "r9", indicator_relation="marts.indicator_values").block_all
    con.execute(
        "insert into marts.indicator_values values ('gld','borough','E09000012','2023/24','total','total')"
    )
    assert "duplicated primary keys" in decide_publish(con, "r9", indicator_relation="marts.indicator_values").block_reasons[0]


def test_periods():
    assert period_range("2024/25 Q1") == period_range("2024-04")[:1] + period_range("2024-06")[1:]
    assert overlaps(period_range("2024-05"), period_range("2023/24"))  # May 2024 is in academic year 2023/24
    assert not overlaps(period_range("2024-05"), period_range("2024/25 Q2"))
    assert overlaps(period_range(None), period_range("2019/20"))
    assert financial_quarter(period_range("2025-01")[0]) == "2024/25 Q4"
    with pytest.raises(ValueError, match="not a canonical period"):
        period_range("Q1 2024")
