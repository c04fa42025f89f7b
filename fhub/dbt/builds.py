"""The dbt invocations of a night: the build (with the rebuild decision), the data-quality marts again over
tonight's candidate (fhub/release/revisions.py), and the docs page (regenerated only when what it shows
changed)."""

from __future__ import annotations

from fhub.dbt.docs import docs_are_current, docs_fingerprint, publish_dbt_docs, record_docs_fingerprint
from fhub.dbt.rebuild import definition_fingerprints, models_to_rebuild, record_built
from fhub.dbt.runner import DbtOutcome, Progress, run_dbt
from fhub.settings import Paths

#: The data-quality marts, built again over tonight's candidate before the publish swaps it in (selectors.yml).
DQ_MARTS_SELECTION = ("--selector", "data_quality_marts")


def build_warehouse(paths: Paths, run_id: str, full_refresh: bool = False,
                    progress: Progress | None = None) -> DbtOutcome:
    """``dbt build``; incremental models whose definition changed since their last build are rebuilt from
    scratch (:mod:`fhub.dbt.rebuild`), and tonight's definitions are recorded once the build succeeded."""
    fingerprints = definition_fingerprints(paths.project)
    rebuild = [] if full_refresh else models_to_rebuild(paths, fingerprints)
    if rebuild and progress:
        progress("rebuilt from scratch tonight (definition changed since their last build, or not recorded): "
                 + ", ".join(rebuild))
    args = ["--full-refresh"] if full_refresh else []
    outcome = run_dbt(paths, "build", args=args, run_id=run_id, progress=progress, rebuild=rebuild)
    if outcome.success:
        record_built(paths, fingerprints)
    return outcome


def build_dq_marts(paths: Paths, run_id: str, progress: Progress | None = None) -> DbtOutcome:
    """The data-quality marts read tonight's recorded results: build them again."""
    return run_dbt(paths, "build", args=list(DQ_MARTS_SELECTION), run_id=run_id, progress=progress)


def generate_docs(paths: Paths, run_id: str, progress: Progress | None = None) -> DbtOutcome:
    """Regenerate the docs page only when what it shows changed since it was last generated (an ordinary
    night changes data, not the project: ~11 s saved at London scale)."""
    fingerprint = docs_fingerprint(paths.dbt_target)
    if docs_are_current(paths, fingerprint):
        if progress:
            progress(f"unchanged since they were last generated; kept {paths.dbt_docs / 'index.html'}")
        return DbtOutcome(command="docs generate", success=True, target_dir=paths.dbt_target)
    outcome = run_dbt(paths, "docs generate", args=["--static"], run_id=run_id, progress=progress)
    if outcome.success and publish_dbt_docs(paths):
        record_docs_fingerprint(paths, fingerprint or docs_fingerprint(paths.dbt_target))
    return outcome
