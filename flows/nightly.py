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
from dataclasses import replace
from pathlib import Path

from prefect import flow, task

from fhub import dq
from fhub.dq import gate
from fhub.privacy import scrub
from fhub.runinfo import RunContext, new_run_id, resolve_run_context
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
    return gate.run_gate(paths, run_id, dbt_outcome, gx_outcome)


@task(name="snapshot-published-values")
def snapshot_published(paths: Paths, run_id: str) -> int:
    return gate.snapshot_published_values(paths, run_id)


@task(name="serve-postgres")
def serve_postgres(ctx: RunContext) -> dict | None:
    """Load tonight's published mart into PostgreSQL when serving is configured (``FHUB_POSTGRES_DSN``, or the
    local cluster is up). A failed load leaves yesterday's mart serving and is a DQ error, not a failed night."""
    from fhub.serving.serve import serve_when_configured

    return serve_when_configured(ctx.paths, ctx.run_id, *ctx.serving_env(), progress=progress_logger())


@task(name="performance-report")
def performance_report(paths: Paths, run_id: str) -> list[str]:
    from fhub.report.nightly import build_all_reports

    return [str(p) for p in build_all_reports(paths, run_id, progress=progress_logger())]


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
    real_data_dir: str | None = None,
) -> dict:
    """The deployment's entry point: the one place (besides the CLI) that reads the environment. It resolves
    the run context once and hands it to every subflow and task. ``real_data_dir`` overrides
    ``FHUB_REAL_DATA_DIR`` (``fhub run --real-data-dir``)."""
    from fhub.notify import NightOutcome

    mode = mode or os.environ.get("FHUB_MODE", "demo")
    run_id = run_id or new_run_id()
    paths = Paths.from_env(os.environ).ensure()
    if real_data_dir:
        paths = replace(paths, real_data_dir=Path(real_data_dir))
    stage = _Stage()
    facts: dict = {}
    try:
        # production refuses to start without its keys (pseudonymisation, originals at rest)
        ctx = resolve_run_context(os.environ, paths=paths, mode=mode, run_id=run_id)
        summary = _night(ctx, full_refresh, include_reference, build_reports, stage, facts)
    except Exception as exc:
        _tell(paths, NightOutcome.stopped(run_id, mode, stage.name, exc))
        raise
    _tell(paths, NightOutcome.from_gate(run_id, mode, summary["published"], summary.get("gate", {}),
                                        facts.get("failed_checks", ())))
    if not summary["published"]:
        reasons = " | ".join(summary["gate"].get("block_reasons", []))
        raise RuntimeError(scrub("Nothing was published: " + reasons)[0])
    return summary


def _night(ctx: RunContext, full_refresh: bool, include_reference: bool, build_reports: bool, stage: _Stage,
           facts: dict) -> dict:
    paths, run_id, mode = ctx.paths, ctx.run_id, ctx.mode
    say = progress_logger()
    say(f"nightly {run_id}: mode={mode}, data={paths.data}")
    summary: dict = {"run_id": run_id, "mode": mode, "key_label": ctx.key_label}
    summary["code_version"] = ctx.code_version

    stage.name = "land"
    summary["land"] = land(ctx, include_reference)
    stage.name = "transform"
    dbt_outcome = transform(ctx, full_refresh)
    summary["dbt"] = dbt_outcome.summary()
    facts["failed_checks"] = [f["node"] for f in dbt_outcome.failures]
    stage.name = "validate"
    gx_outcome = validate(ctx)
    summary["gx"] = gx_outcome.summary()
    stage.name = "record data quality"
    decision = record_quality(paths, run_id, dbt_outcome, gx_outcome)
    # The DQ marts (tonight's checks, scorecard, revisions) are built inside publish, over tonight's candidate
    # file, so revisions are published the night they happen (fhub/release/revisions.py).
    summary["gate"] = decision.to_dict()
    say(decision.summary())
    if not decision.block_all:
        stage.name = "publish"
        result = publish(ctx, gate.run_manifest(summary, dbt_outcome, gx_outcome), decision)
        snapshot_published(paths, run_id)  # the candidate's snapshot again, from exactly what was published
        stage.name = "serve"
        summary["serving"] = serve_postgres(ctx)
        summary["published"] = True
        summary["published_tables"] = result.tables
        summary["privacy_audit"] = gate.privacy_audit_outcome(paths, run_id)
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
