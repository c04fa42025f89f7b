"""Flow ``nightly``: land → transform → validate → publish → serve → reports → tell people. Scheduled at
02:00 Europe/London.

Serve loads the published mart into PostgreSQL when serving is configured (README "Serving (PostgreSQL)").

Nothing is published unless dbt build passes and the Great Expectations gate has no blocking failure;
scoped failures withhold only the affected borough × extract × period. The last task tells people
(fhub.notify): the central team about a failed or partly withheld night and missing deliveries, each borough's
data officer about their receipt - also when the night stopped with an error, and never failing the night.
"""

from __future__ import annotations

import os

import duckdb
from prefect import flow, task

from fhub import dq
from fhub.dbt.contract import ContractError, public_relations, source_of
from fhub.privacy import scrub
from fhub.privacy.gate import scrub_structure
from fhub.privacy.messages import safe_dbt_message
from fhub.privacy.vault import resolve_originals_key
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
        dq.record_privacy_results(con, run_id)  # identifier-like text in tonight's additions: scope withheld
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


@task(name="snapshot-published-values")
def snapshot_published(paths: Paths, run_id: str) -> int:
    con = duckdb.connect(str(paths.work_db))
    try:
        return dq.record_indicator_snapshot(con, run_id, paths.published_db)
    finally:
        con.close()


@task(name="serve-postgres")
def serve_postgres(paths: Paths, run_id: str) -> dict | None:
    """Load tonight's published mart into PostgreSQL when serving is configured (``FHUB_POSTGRES_DSN``, or the
    local cluster is up). A failed load leaves yesterday's mart serving and is a DQ error, not a failed night."""
    from fhub.serving.passwords import passwords_from_environment
    from fhub.serving.serve import resolve_target, serve_published_mart

    target = resolve_target(
        paths,
        env_dsn=os.environ.get("FHUB_POSTGRES_DSN"),
        env_passwords=passwords_from_environment(os.environ),
    )
    if target is None:
        return None
    return serve_published_mart(paths, run_id, target, progress=progress_logger()).to_dict()


@task(name="performance-report")
def performance_report(paths: Paths, run_id: str) -> list[str]:
    from fhub.reporting import build_all_reports

    return [str(p) for p in build_all_reports(paths, run_id)]


@task(name="tell-people")
def tell_people_task(paths: Paths, night) -> dict:
    """Notifications (fhub.notify). Never fails the night: every error is logged and swallowed here."""
    say = progress_logger("notify: ")
    try:
        from fhub.notify import tell_people

        return tell_people(paths, night, log=say).as_dict()
    except Exception as exc:  # noqa: BLE001 - failing to notify must never fail or block the night
        etype = type(exc).__name__
        say(f"notifications were not sent ({etype}: see config/notifications.yml); the night itself is not "
            "affected")
        return {"error": etype}


def _tell(paths: Paths, night) -> None:
    try:
        tell_people_task(paths, night, return_state=True)  # a failed task state is not raised
    except Exception:  # noqa: BLE001 - e.g. the task could not even be scheduled
        progress_logger("notify: ")("notifications were not sent (the task could not run)")


def _privacy_section(paths: Paths, run_id: str) -> dict:
    """The publish audit's outcome, from the manifest it wrote (value-free)."""
    import json

    try:
        manifest = json.loads((paths.manifests / f"{run_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest.get("privacy_audit", {})


class _Stage:
    """The step the night is in, for the 'stopped during ...' notification."""

    name = "start"


@flow(name="nightly", log_prints=True)
def nightly(
    mode: str | None = None,
    run_id: str | None = None,
    full_refresh: bool = False,
    include_reference: bool = True,
    build_reports: bool = True,
) -> dict:
    from fhub.notify import NightOutcome

    mode = mode or os.environ.get("FHUB_MODE", "demo")
    run_id = run_id or new_run_id()
    paths = Paths.from_env().ensure()
    stage = _Stage()
    facts: dict = {}
    try:
        summary = _night(paths, mode, run_id, full_refresh, include_reference, build_reports, stage, facts)
    except Exception as exc:
        _tell(paths, NightOutcome.stopped(run_id, mode, stage.name, exc))
        raise
    _tell(paths, NightOutcome.from_gate(run_id, mode, summary["published"], summary.get("gate", {}),
                                        facts.get("failed_checks", ())))
    if not summary["published"]:
        reasons = " | ".join(summary["gate"].get("block_reasons", []))
        raise RuntimeError(scrub("Nothing was published: " + reasons)[0])
    return summary


def _night(paths: Paths, mode: str, run_id: str, full_refresh: bool, include_reference: bool,
           build_reports: bool, stage: _Stage, facts: dict) -> dict:
    _, key_label = resolve_key(mode, use_prefect=True)  # production refuses to start without a key
    resolve_originals_key(mode, use_prefect=True)  # ... or without the key that encrypts originals at rest
    say = progress_logger()
    say(f"nightly {run_id}: mode={mode}, data={paths.data}")
    summary: dict = {"run_id": run_id, "mode": mode, "key_label": key_label}
    summary["code_version"] = code_version(paths.project)

    stage.name = "land"
    summary["land"] = land(run_id, mode, include_reference)
    stage.name = "transform"
    dbt_outcome = transform(run_id, full_refresh)
    summary["dbt"] = dbt_outcome.summary()
    facts["failed_checks"] = [f["node"] for f in dbt_outcome.failures]
    stage.name = "validate"
    gx_outcome = validate()
    summary["gx"] = gx_outcome.summary()
    stage.name = "record data quality"
    decision = record_quality(paths, run_id, dbt_outcome, gx_outcome)
    # The DQ marts (tonight's checks, scorecard, revisions) are built inside publish, over tonight's candidate
    # file, so revisions are published the night they happen (fhub/release/revisions.py).
    summary["gate"] = decision.to_dict()
    say(decision.summary())
    if not decision.block_all:
        stage.name = "publish"
        failures = [{**f, "message": safe_dbt_message(f.get("message"))} for f in dbt_outcome.failures]
        manifest = {**summary, "dbt_failures": failures, "gx_results": gx_outcome.results}
        manifest, _ = scrub_structure(manifest)  # it travels as a flow parameter into Prefect's database
        result = publish(run_id, manifest, decision)
        snapshot_published(paths, run_id)  # the candidate's snapshot again, from exactly what was published
        stage.name = "serve"
        summary["serving"] = serve_postgres(paths, run_id)
        summary["published"] = True
        summary["published_tables"] = result.tables
        summary["privacy_audit"] = _privacy_section(paths, run_id)
    else:
        summary["published"] = False
        for reason in decision.block_reasons:
            say(f"NOT PUBLISHED: {reason}")

    stage.name = "reports"
    if build_reports:
        dbt_docs(paths, run_id)
        if summary["published"]:
            summary["reports"] = performance_report(paths, run_id)
    summary_path = write_summary(paths, summary)
    say(f"run summary: {summary_path}")
    return summary
