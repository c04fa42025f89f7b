"""Flow ``nightly``: land → transform → validate → publish → reports. Scheduled at 02:00 Europe/London.

Nothing is published unless dbt build passes and the Great Expectations gate has no blocking failure;
scoped failures withhold only the affected borough × extract × period.
"""

from __future__ import annotations

import dataclasses
import os

from prefect import flow, task

from fhub import gate
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
def record_quality(paths: Paths, run_id: str, dbt_outcome, gx_outcome) -> None:
    """Store dbt, GX and landing results in the dq history (work file)."""
    try:
        from fhub import dq
    except ImportError:  # the DQ store is optional until it exists
        return
    dq.record_run(paths, run_id, dbt_target=dbt_outcome.target_dir, gx_results=gx_outcome.results)


@task(name="performance-report")
def performance_report(paths: Paths, run_id: str) -> list[str]:
    from fhub.report import build_all_reports

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
    record_quality(paths, run_id, dbt_outcome, gx_outcome)

    decision = gate.decide(dbt_outcome.success, dbt_outcome.failures, gx_outcome.results)
    summary["gate"] = dataclasses.asdict(decision)
    if decision.publish:
        manifest = {**summary, "dbt_failures": dbt_outcome.failures, "gx_results": gx_outcome.results}
        result = publish(run_id, manifest, [dataclasses.asdict(w) for w in decision.withheld])
        summary["published"] = True
        summary["published_tables"] = result.tables
    else:
        summary["published"] = False
        for reason in decision.reasons:
            say(f"NOT PUBLISHED: {reason}")

    if build_reports:
        dbt_docs(paths, run_id)
        if summary["published"]:
            summary["reports"] = performance_report(paths, run_id)
    summary_path = write_summary(paths, summary)
    say(f"run summary: {summary_path}")
    if not summary["published"]:
        raise RuntimeError("Nothing was published: " + " | ".join(decision.reasons))
    return summary
