"""Flow ``publish``: write → audit → publish the suppressed public file, exports and the run manifest."""

from __future__ import annotations

from prefect import flow, task

from fhub.dq import PublishDecision
from fhub.dq.gate import publish_with_withholdings
from fhub.publish import PublishResult
from fhub.runinfo import RunContext
from fhub.settings import Paths
from flows._common import progress_logger


@task(name="publish-public-file")
def publish_task(paths: Paths, run_id: str, manifest: dict, decision: PublishDecision) -> PublishResult:
    return publish_with_withholdings(paths, run_id, manifest, decision, progress=progress_logger())


@flow(name="publish", log_prints=True)
def publish(ctx: RunContext, manifest: dict, decision: PublishDecision) -> PublishResult:
    """Publish the run; values depending on a withheld borough × extract × period are withheld."""
    return publish_task(ctx.paths.ensure(), ctx.run_id, manifest, decision)
