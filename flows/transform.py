"""Flow ``transform``: ``dbt build`` (seeds, models, tests, unit tests) into the work DuckDB file."""

from __future__ import annotations

from prefect import flow, task

from fhub.settings import Paths
from fhub.transform import DbtOutcome, run_dbt
from flows._common import progress_logger


@task(name="dbt-build")
def dbt_build(paths: Paths, run_id: str, full_refresh: bool = False) -> DbtOutcome:
    args = ["--full-refresh"] if full_refresh else []
    return run_dbt(paths, "build", args=args, run_id=run_id, progress=progress_logger("dbt: "))


@task(name="dbt-docs")
def dbt_docs(paths: Paths, run_id: str) -> DbtOutcome:
    from fhub.docs import publish_dbt_docs

    outcome = run_dbt(
        paths, "docs generate", args=["--static"], run_id=run_id, progress=progress_logger("dbt docs: ")
    )
    if outcome.success:
        publish_dbt_docs(paths)
    return outcome


@flow(name="transform", log_prints=True)
def transform(run_id: str, full_refresh: bool = False) -> DbtOutcome:
    paths = Paths.from_env().ensure()
    return dbt_build(paths, run_id, full_refresh)
