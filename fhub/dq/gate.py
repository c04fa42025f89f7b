"""The publish gate of a night: record tonight's results, decide what may publish, and the steps around it.

The nightly flow only composes these (docs/architecture.md): :func:`run_gate` after dbt build and the GX
checkpoint; :func:`publish_with_withholdings` to publish with what the gate withheld (the data-quality marts
are built again over tonight's candidate inside it, and a failed build refuses the publish); and
:func:`snapshot_published_values` after the swap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import duckdb

from fhub.dbt.contract import ContractError, public_relations, source_of
from fhub.dq.dbt_results import record_dbt_results
from fhub.dq.decision import PublishDecision, WithheldScope, decide_publish
from fhub.dq.gx_results import record_gx_results
from fhub.dq.landing_results import record_landing_results
from fhub.dq.privacy_results import record_privacy_results
from fhub.dq.reconciliation import record_reconciliation_results
from fhub.dq.schema import ensure_dq_schema
from fhub.dq.snapshots import record_indicator_snapshot
from fhub.dq.withhold import apply_withholdings, withholding_plan
from fhub.privacy.gate import scrub_structure
from fhub.privacy.messages import safe_dbt_message
from fhub.settings import Paths

Progress = Callable[[str], None]

#: How many failing dbt nodes the block reason names.
DBT_FAILURES_NAMED = 5


def run_gate(paths: Paths, run_id: str, dbt_outcome, gx_outcome) -> PublishDecision:
    """Store landing, dbt, GX and privacy results in the dq history (work file) and decide what may publish.

    ``dbt_outcome`` is a :class:`fhub.dbt.runner.DbtOutcome`, ``gx_outcome`` a
    :class:`fhub.quality.gx_runner.GxOutcome`. A publish contract the manifest cannot give, or a failed dbt
    build, blocks everything."""
    con = duckdb.connect(str(paths.work_db))
    try:
        ensure_dq_schema(con)
        record_landing_results(con, run_id)
        try:
            record_dbt_results(con, run_id, dbt_outcome.target_dir)
        except FileNotFoundError:  # dbt stopped before writing run_results.json: blocked below
            if dbt_outcome.success:
                raise
        record_gx_results(con, run_id, gx_outcome.dq_rows())
        record_reconciliation_results(con, run_id)  # borough records vs DfE (fct_gld_reconciliation)
        record_privacy_results(con, run_id)  # identifier-like text in tonight's additions: scope withheld
        try:  # the work relation published as indicator_values, from the contract in the dbt manifest
            indicator_values, contract_problem = (
                source_of(public_relations(paths.dbt_target), "indicator_values"),
                None,
            )
        except ContractError as exc:
            indicator_values, contract_problem = None, str(exc)
        decision = decide_publish(con, run_id, indicator_relation=indicator_values)
    finally:
        con.close()
    if contract_problem:
        decision.block_all = True
        decision.block_reasons.append(contract_problem)
    if not dbt_outcome.success:
        decision.block_all = True
        decision.block_reasons = [dbt_block_reason(dbt_outcome.failures), *decision.block_reasons]
    return decision


def dbt_block_reason(failures: Sequence[dict]) -> str:
    """The block reason of a failed dbt build: the first failing nodes, their messages made safe."""
    named = [f"{f['node']}: {safe_dbt_message(f.get('message'))}" for f in failures[:DBT_FAILURES_NAMED]]
    return "dbt build failed: " + " | ".join(named)


def run_manifest(summary: dict, dbt_outcome, gx_outcome) -> dict:
    """What the night publishes as its run manifest: the summary so far, dbt failures (messages made safe)
    and the GX results, scrubbed (it travels as a flow parameter into Prefect's database)."""
    failures = [{**f, "message": safe_dbt_message(f.get("message"))} for f in dbt_outcome.failures]
    manifest = {**summary, "dbt_failures": failures, "gx_results": gx_outcome.results}
    return scrub_structure(manifest)[0]


def publish_with_withholdings(paths: Paths, run_id: str, manifest: dict, decision: PublishDecision,
                              progress: Progress | None = None):
    """Write → audit → publish the public file of the contract in tonight's dbt manifest; values depending on
    a withheld borough × extract × period (the gate's, and those the privacy audit attributes identifier-like
    text to) are withheld. Returns :class:`fhub.publish.PublishResult`."""
    from fhub.publish import publish
    from fhub.release.revisions import data_quality_over_candidate

    relations = public_relations(paths.dbt_target)
    plan = withholding_plan(relations)

    def post_assemble(con):
        apply_withholdings(con, decision, plan)

    def withhold(con, found):
        extra = [WithheldScope(s.borough_code, s.extract_type, s.period, (reason,)) for s, reason in found]
        apply_withholdings(con, decision.with_scopes(extra), plan)

    # tonight's candidate is recorded and the DQ marts (incl. dq_revisions against the last published file) are
    # built over it before the swap, so revisions are published the night they happen
    return publish(paths, run_id, manifest=manifest, post_assemble=post_assemble, withhold=withhold,
                   relations=relations, progress=progress,
                   candidate_ready=data_quality_over_candidate(paths, run_id, relations, progress))


def snapshot_published_values(paths: Paths, run_id: str) -> int:
    """Record tonight's published indicator values in the work file (revision tracking)."""
    con = duckdb.connect(str(paths.work_db))
    try:
        return record_indicator_snapshot(con, run_id, paths.published_db)
    finally:
        con.close()


def privacy_audit_outcome(paths: Paths, run_id: str) -> dict:
    """The publish audit's outcome, from the manifest the publish wrote (value-free); {} without one."""
    try:
        manifest = json.loads((paths.manifests / f"{run_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest.get("privacy_audit", {})
