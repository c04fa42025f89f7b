"""Flow ``validate``: the Great Expectations checkpoint over the work file (the publish gate)."""

from __future__ import annotations

from prefect import flow, task

from fhub import faults
from fhub.quality.gx_runner import GxOutcome, run_checkpoint
from fhub.runinfo import RunContext
from fhub.settings import Paths
from flows._common import progress_logger


@task(name="gx-checkpoint")
def gx_checkpoint(paths: Paths) -> GxOutcome:
    faults.point("validate.mid")
    return run_checkpoint(paths, progress=progress_logger())


@flow(name="validate", log_prints=True)
def validate(ctx: RunContext) -> GxOutcome:
    return gx_checkpoint(ctx.paths.ensure())
