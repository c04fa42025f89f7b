"""Data-quality results as data: record dbt / GX / landing checks, decide what may publish, withhold what
depends on a failing borough × extract × period, and snapshot published values for revision tracking.

The pipeline calls, in order (all on the WORK file connection unless stated)::

    ensure_dq_schema(con)
    record_landing_results(con, run_id)          # after landing
    record_dbt_results(con, run_id, target_dir)  # after dbt build
    record_gx_results(con, run_id, checkpoint_result_or_dicts)
    record_reconciliation_results(con, run_id)   # borough records vs DfE (marts.fct_gld_reconciliation)
    record_privacy_results(con, run_id)          # identifier-like text tonight added (fhub.privacy.gate)
    decision = decide_publish(con, run_id, indicator_relation=...)  # block_all / withheld scopes
    # while assembling the public file (public connection), the plan from the publish contract:
    apply_withholdings(public_con, decision, withholding_plan(public_relations(paths.dbt_target)))
    # after the swap:
    record_indicator_snapshot(con, run_id, paths.published_db)
"""

from fhub.dq.dbt_results import dbt_check_results, record_dbt_results
from fhub.dq.decision import PublishDecision, WithheldScope, audit_indicator_values, decide_publish
from fhub.dq.gx_results import gx_check_results, record_gx_results
from fhub.dq.landing_results import record_delivery_arrivals, record_landing_results
from fhub.dq.privacy_results import record_privacy_results
from fhub.dq.reconciliation import reconciliation_check_results, record_reconciliation_results
from fhub.dq.results import CheckResult, write_check_results
from fhub.dq.schema import ensure_dq_schema
from fhub.dq.snapshots import record_indicator_snapshot
from fhub.dq.withhold import (
    WithholdingPlan,
    WithholdingSummary,
    YearTable,
    apply_withholdings,
    withholding_plan,
)

__all__ = [
    "CheckResult",
    "PublishDecision",
    "WithheldScope",
    "WithholdingSummary",
    "apply_withholdings",
    "withholding_plan",
    "WithholdingPlan",
    "YearTable",
    "audit_indicator_values",
    "dbt_check_results",
    "decide_publish",
    "ensure_dq_schema",
    "gx_check_results",
    "record_dbt_results",
    "record_delivery_arrivals",
    "record_gx_results",
    "record_indicator_snapshot",
    "record_landing_results",
    "record_reconciliation_results",
    "reconciliation_check_results",
    "record_privacy_results",
    "write_check_results",
]
