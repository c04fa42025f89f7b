"""Flow ``nightly``: land → transform → validate → publish → reports. Scheduled at 02:00 Europe/London.

Nothing is published unless dbt build passes and the Great Expectations gate has no blocking failure;
scoped failures withhold only the affected borough × extract × period.
"""

from __future__ import annotations

import os

import duckdb
from prefect import flow, task

from fhub import dq
from fhub.dbt.contract import ContractError, public_relations, source_of
from fhub.privacy.messages import safe_dbt_message
from fhub.pseudonymise import resolve_key
from fhub.runinfo import code_version, new_run_id
from fhub.settings import Paths
from fhub.summary import write_summary
from flows._common import progress_logger
from flows.land import land
from flows.publish import publish
from flows.transform import dbt_docs, transform
from flows.validate import validate


@task(name="record-data-quality")
def record_quality(paths: Paths, run_id: str, dbt_outcome, gx_outcome) -> dq.PublishDecision:
    """Store landing, dbt and GX results in the dq history (work file) and decide what may publish."""
    con = duckdb.connect(str(paths.work_db))
    try:
        dq.ensure_dq_schema(con)
        dq.record_landing_results(con, run_id)
        try:
            dq.record_dbt_results(con, run_id, dbt_outcome.target_dir)
        except FileNotFoundError:  # dbt stopped before writing run_results.json: blocked below
            if dbt_outcome.success:
                raise
        dq.record_gx_results(con, run_id, gx_outcome.dq_rows())
        dq.record_reconciliation_results(con, run_id)  # borough records vs DfE (fct_gld_reconciliation)
        try:  # the work relation published as indicator_values, from the contract in the dbt manifest
            indicator_values, contract_problem = (
                source_of(public_relations(paths.dbt_target), "indicator_values"),
                None,
            )
        except ContractError as exc:
            indicator_values, contract_problem = None, str(exc)
        decision = dq.decide_publish(con, run_id, indicator_relation=indicator_values)
    finally:
        con.close()
    if contract_problem:
        decision.block_all = True
        decision.block_reasons.append(contract_problem)
    if not dbt_outcome.success:
        reasons = [f"{f['node']}: {safe_dbt_message(f.get('message'))}" for f in dbt_outcome.failures[:5]]
        decision.block_all = True
        decision.block_reasons = ["dbt build failed: " + " | ".join(reasons), *decision.block_reasons]
    return decision


@task(name="dbt-build-dq-marts")
def dbt_build_dq(paths: Paths, run_id: str):
    from fhub.transform import run_dbt

    selection = ["--selector", "data_quality_marts"]  # selectors.yml
    return run_dbt(paths, "build", args=selection, run_id=run_id, progress=progress_logger("dbt (dq): "))


@task(name="snapshot-published-values")
def snapshot_published(paths: Paths, run_id: str) -> int:
    con = duckdb.connect(str(paths.work_db))
    try:
        return dq.record_indicator_snapshot(con, run_id, paths.published_db)
    finally:
        con.close()


@task(name="performance-report")
def performance_report(paths: Paths, run_id: str) -> list[str]:
    from fhub.reporting import build_all_reports

    return [str(p) for p in build_all_reports(paths, run_id)]


@flow(name="nightly", log_prints=True)
def nightly(
    mode: str | None = None,
    run_id: str | None = None,
    full_refresh: bool = False,
    include_reference: bool = True,
    build_reports: bool = True,
) -> dict:
    mode = mode or os.environ.get("FHUB_MODE", "demo")
    _, key_label = resolve_key(mode, use_prefect=True)  # production refuses to start without a key
    run_id = run_id or new_run_id()
    paths = Paths.from_env().ensure()
    say = progress_logger()
    say(f"nightly {run_id}: mode={mode}, data={paths.data}")
    summary: dict = {"run_id": run_id, "mode": mode, "key_label": key_label}
    summary["code_version"] = code_version(paths.project)

    summary["land"] = land(run_id, mode, include_reference)
    dbt_outcome = transform(run_id, full_refresh)
    summary["dbt"] = dbt_outcome.summary()
    gx_outcome = validate()
    summary["gx"] = gx_outcome.summary()
    decision = record_quality(paths, run_id, dbt_outcome, gx_outcome)
    if not decision.block_all:
        dq_outcome = dbt_build_dq(paths, run_id)  # the DQ marts read tonight's recorded results
        if not dq_outcome.success:
            decision.block_all = True
            decision.block_reasons.append(
                "dbt build of the data-quality marts failed: " + dq_outcome.summary()
            )
    summary["gate"] = decision.to_dict()
    say(decision.summary())
    if not decision.block_all:
        failures = [{**f, "message": safe_dbt_message(f.get("message"))} for f in dbt_outcome.failures]
        manifest = {**summary, "dbt_failures": failures, "gx_results": gx_outcome.results}
        result = publish(run_id, manifest, decision)
        snapshot_published(paths, run_id)
        summary["published"] = True
        summary["published_tables"] = result.tables
    else:
        summary["published"] = False
        for reason in decision.block_reasons:
            say(f"NOT PUBLISHED: {reason}")

    if build_reports:
        dbt_docs(paths, run_id)
        if summary["published"]:
            summary["reports"] = performance_report(paths, run_id)
    summary_path = write_summary(paths, summary)
    say(f"run summary: {summary_path}")
    if not summary["published"]:
        raise RuntimeError("Nothing was published: " + " | ".join(decision.block_reasons))
    return summary
