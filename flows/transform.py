"""Flow ``transform``: ``dbt build`` (seeds, models, tests, unit tests) into the work DuckDB file."""

from __future__ import annotations

from prefect import flow, task

from fhub.dbt import builds
from fhub.dbt.runner import DbtOutcome
from fhub.runinfo import RunContext
from fhub.settings import Paths
from flows._common import progress_logger


@task(name="dbt-build")
def dbt_build(paths: Paths, run_id: str, full_refresh: bool = False) -> DbtOutcome:
    """``dbt build``; incremental models whose definition changed are rebuilt from scratch (fhub.dbt.builds)."""
    return builds.build_warehouse(paths, run_id, full_refresh, progress=progress_logger("dbt: "))


@task(name="dbt-docs")
def dbt_docs(paths: Paths, run_id: str) -> DbtOutcome:
    """The dbt docs page, regenerated only when what it shows changed."""
    return builds.generate_docs(paths, run_id, progress=progress_logger("dbt docs: "))


@flow(name="transform", log_prints=True)
def transform(ctx: RunContext, full_refresh: bool = False) -> DbtOutcome:
    return dbt_build(ctx.paths.ensure(), ctx.run_id, full_refresh)
