"""Reconciliation with DfE recorded as data-quality results (fhub/dq/reconciliation.py)."""

from __future__ import annotations

import duckdb
import pytest

from fhub.dq import decide_publish, ensure_dq_schema, record_reconciliation_results
from fhub.dq.reconciliation import reconciliation_check_results


@pytest.fixture
def work():
    con = duckdb.connect()
    ensure_dq_schema(con)
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_gld_reconciliation (borough_code varchar, academic_year varchar, check_name varchar, "
        "dimension varchar, status varchar, observed_value varchar, message varchar, fix varchar)"
    )
    con.execute(
        "insert into marts.fct_gld_reconciliation values "
        "('E09000012', '2024/25', 'reconciles_with_dfe_gld', 'consistency', 'pass', '-0.24 pp (tolerance 1.24 pp)', "
        "'Borough records agree with DfE''s published GLD for 2024/25.', ''), "
        "('E09000024', '2024/25', 'reconciles_with_dfe_cohort', 'completeness', 'fail', '-94 children (tolerance 28)', "
        "'Borough records hold 2,700 children for 2024/25, but DfE counted 2,794.', 'Check the extract.')"
    )
    yield con
    con.close()


def test_each_row_becomes_a_warn_check_scoped_to_borough_eyfsp_year(work):
    results = {r.check_id: r for r in reconciliation_check_results(work)}
    assert set(results) == {
        "reconciliation:reconciles_with_dfe_gld:fct_gld_reconciliation:E09000012|eyfsp|2024/25",
        "reconciliation:reconciles_with_dfe_cohort:fct_gld_reconciliation:E09000024|eyfsp|2024/25",
    }
    failed = results["reconciliation:reconciles_with_dfe_cohort:fct_gld_reconciliation:E09000024|eyfsp|2024/25"]
    assert (failed.status, failed.severity, failed.dimension) == ("fail", "warn", "completeness")
    assert failed.message.startswith("Borough records hold 2,700 children") and failed.fix == "Check the extract."


def test_recorded_once_per_run_and_never_blocks_the_publish(work):
    assert record_reconciliation_results(work, "r1") == 2
    assert record_reconciliation_results(work, "r1") == 2  # re-recording a run replaces its rows
    rows = work.execute(
        "select source, status, severity, borough_code, extract_type, period from dq.check_results order by check_id"
    ).fetchall()
    assert rows == [
        ("reconciliation", "fail", "warn", "E09000024", "eyfsp", "2024/25"),
        ("reconciliation", "pass", "warn", "E09000012", "eyfsp", "2024/25"),
    ]
    decision = decide_publish(work, "r1", indicator_relation=None)
    assert not decision.block_all and not decision.withheld_scopes and decision.warnings == 1


def test_nothing_recorded_when_dbt_did_not_build_the_model():
    con = duckdb.connect()
    ensure_dq_schema(con)
    assert record_reconciliation_results(con, "r1") == 0
