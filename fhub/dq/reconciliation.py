"""Reconciliation with DfE as data-quality results: ``marts.fct_gld_reconciliation`` → ``dq.check_results``.

dbt computes, for every borough × academic year where both exist, whether the borough's EYFSP records reproduce
DfE's published figures (GLD, all ELGs, communication-language-literacy, FSM-eligible GLD, and the cohort) within
DfE's rounding and an allowance for late returns (the rule: ``models/marts/outcomes/fct_gld_reconciliation.sql``,
docs/reports.md "Reconciliation with DfE"). This module records each row as a check result, so it reaches the
published ``dq_check_results``, the scorecard and the borough's page:

* ``source`` = ``reconciliation``; ``check_name`` = ``reconciles_with_dfe_gld`` / ``_all_elgs_expected`` /
  ``_comm_lang_lit`` / ``_gld_fsm_eligible`` / ``_cohort``; ``target_relation`` = ``fct_gld_reconciliation``;
* scope: ``borough_code``, ``extract_type`` = ``eyfsp``, ``period`` = the academic year - so ``check_id`` is
  ``reconciliation:reconciles_with_dfe_gld:fct_gld_reconciliation:E09000012|eyfsp|2024/25``;
* ``status`` pass / fail, ``severity`` warn (a borough whose records do not reconcile still publishes; its
  records are shown beside DfE's series, not joined to them), ``dimension`` consistency (rates) or completeness
  (cohort), ``observed_value`` the difference and tolerance, ``message`` and ``fix`` the model's templates.

Messages are built in the model from allowed kinds only (measure names, years, DfE's published figures and
sources, counts of children, percentage points); nothing here adds text.
"""

from __future__ import annotations

import duckdb

from fhub.dq.results import CheckResult, write_check_results
from fhub.dq.schema import columns_of, table_exists

SOURCE = "reconciliation"
#: The work-file relation dbt builds the results into (models/marts/outcomes/fct_gld_reconciliation.sql).
RELATION = "marts.fct_gld_reconciliation"
TARGET = "fct_gld_reconciliation"
EXTRACT = "eyfsp"
_COLUMNS = ("borough_code", "academic_year", "check_name", "dimension", "status", "observed_value", "message", "fix")


def reconciliation_check_results(con: duckdb.DuckDBPyConnection, relation: str = RELATION) -> list[CheckResult]:
    """One warn-severity check result per row of the reconciliation model; none when it was not built."""
    schema, name = relation.split(".", 1)
    if not table_exists(con, schema, name) or not set(_COLUMNS) <= set(columns_of(con, schema, name)):
        return []
    rows = con.execute(
        f"select {', '.join(_COLUMNS)} from {relation} order by borough_code, academic_year, check_name"  # noqa: S608
    ).fetchall()
    return [
        CheckResult(
            check_name=check_name,
            source=SOURCE,
            dimension=dimension,
            severity="warn",
            status="pass" if status == "pass" else "fail",
            borough_code=borough_code,
            extract_type=EXTRACT,
            period=academic_year,
            target_relation=TARGET,
            observed_value=observed_value,
            message=message or "",
            fix=fix or "",
        )
        for borough_code, academic_year, check_name, dimension, status, observed_value, message, fix in rows
    ]


def record_reconciliation_results(
    con: duckdb.DuckDBPyConnection, run_id: str, relation: str = RELATION
) -> int:
    """Replace this run's reconciliation results in ``dq.check_results``; returns rows written."""
    return write_check_results(con, run_id, SOURCE, reconciliation_check_results(con, relation))
