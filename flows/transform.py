"""Flow ``transform``: ``dbt build`` (seeds, models, tests, unit tests) into the work DuckDB file."""

from __future__ import annotations

from prefect import flow, task

from fhub.dbt.runner import DbtOutcome, run_dbt
from fhub.settings import Paths
from flows._common import progress_logger


@task(name="dbt-build")
def dbt_build(paths: Paths, run_id: str, full_refresh: bool = False) -> DbtOutcome:
    """``dbt build``; incremental models whose definition changed since their last build are rebuilt from
    scratch (fhub/dbt/rebuild.py), and tonight's definitions are recorded once the build succeeded."""
    from fhub.dbt.rebuild import definition_fingerprints, models_to_rebuild, record_built

    say = progress_logger("dbt: ")
    fingerprints = definition_fingerprints(paths.project)
    rebuild = [] if full_refresh else models_to_rebuild(paths, fingerprints)
    if rebuild:
        say("rebuilt from scratch tonight (definition changed since their last build, or not recorded): "
            + ", ".join(rebuild))
    args = ["--full-refresh"] if full_refresh else []
    outcome = run_dbt(paths, "build", args=args, run_id=run_id, progress=say, rebuild=rebuild)
    if outcome.success:
        record_built(paths, fingerprints)
    return outcome


@task(name="dbt-docs")
def dbt_docs(paths: Paths, run_id: str) -> DbtOutcome:
    """Regenerate the docs page only when what it shows changed since it was last generated (an ordinary
    night changes data, not the project: ~11 s saved at London scale)."""
    from fhub.dbt.docs import docs_are_current, docs_fingerprint, publish_dbt_docs, record_docs_fingerprint

    say = progress_logger("dbt docs: ")
    fingerprint = docs_fingerprint(paths.dbt_target)
    if docs_are_current(paths, fingerprint):
        say(f"unchanged since they were last generated; kept {paths.dbt_docs / 'index.html'}")
        return DbtOutcome(command="docs generate", success=True, target_dir=paths.dbt_target)
    outcome = run_dbt(paths, "docs generate", args=["--static"], run_id=run_id, progress=say)
    if outcome.success and publish_dbt_docs(paths):
        record_docs_fingerprint(paths, fingerprint or docs_fingerprint(paths.dbt_target))
    return outcome


@flow(name="transform", log_prints=True)
def transform(run_id: str, full_refresh: bool = False) -> DbtOutcome:
    paths = Paths.from_env().ensure()
    return dbt_build(paths, run_id, full_refresh)
