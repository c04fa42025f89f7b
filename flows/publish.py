"""Flow ``publish``: write → audit → publish the suppressed public file, exports and the run manifest."""

from __future__ import annotations

from prefect import flow, task

from fhub.dbt.contract import public_relations
from fhub.dq import PublishDecision, WithheldScope, apply_withholdings, withholding_plan
from fhub.publish import PublishResult
from fhub.publish import publish as publish_public_file
from fhub.release.revisions import data_quality_over_candidate
from fhub.settings import Paths
from flows._common import progress_logger


@task(name="publish-public-file")
def publish_task(paths: Paths, run_id: str, manifest: dict, decision: PublishDecision) -> PublishResult:
    relations = public_relations(paths.dbt_target)  # the publish contract in tonight's dbt manifest
    plan = withholding_plan(relations)

    def post_assemble(con):
        apply_withholdings(con, decision, plan)

    def withhold(con, found):
        """Scopes the privacy gate attributed identifier-like text to are withheld too."""
        extra = [WithheldScope(s.borough_code, s.extract_type, s.period, (reason,)) for s, reason in found]
        apply_withholdings(con, decision.with_scopes(extra), plan)

    say = progress_logger()
    return publish_public_file(
        paths,
        run_id,
        manifest=manifest,
        post_assemble=post_assemble,
        withhold=withhold,
        relations=relations,
        progress=say,
        # tonight's candidate is recorded and the DQ marts (incl. dq_revisions against the last published file)
        # are built over it before the swap
        candidate_ready=data_quality_over_candidate(paths, run_id, relations, say),
    )


@flow(name="publish", log_prints=True)
def publish(run_id: str, manifest: dict, decision: PublishDecision) -> PublishResult:
    """Publish the run; values depending on a withheld borough × extract × period are withheld; the DQ marts
    are built over tonight's candidate before the swap."""
    return publish_task(Paths.from_env().ensure(), run_id, manifest, decision)
