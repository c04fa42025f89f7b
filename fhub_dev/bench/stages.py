"""Stage timings of a nightly run, from the flow's own log lines.

Method (documented in docs/performance.md): the benchmark runs the real nightly flow end to end in a child
process (``python -m fhub run``) and stamps every line the child prints with the parent's monotonic clock
as the line arrives (the child runs unbuffered). Prefect logs ``Finished in state ...`` for every task run,
prefixed with the task run's name (``Task run 'dbt-build-7f2' - Finished in state Completed()``). A stage
ends when the last task that belongs to it finishes; it starts where the previous stage ended (the first
stage starts at ``Beginning flow run ... for flow 'nightly'``). So the stage figures add up exactly to the
flow's wall time, and whatever the flow does between two tasks (the publish gate decision, for example) is
charged to the stage that follows it. Process start-up before the flow begins (imports, Prefect's temporary
API server) and shut-down after it are reported as ``overhead``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Stage -> names of the Prefect tasks that belong to it (task run names are ``<task name>-<suffix>``).
STAGE_TASKS: dict[str, tuple[str, ...]] = {
    "land": ("land-borough-extracts", "land-reference-files", "originals-housekeeping", "prepare-work-file"),
    "dbt": ("dbt-build",),
    "validate": ("gx-checkpoint", "record-data-quality"),
    # publish-public-file builds the DQ marts over tonight's candidate (issue 16); serve: when configured
    "publish": ("publish-public-file", "snapshot-published-values", "serve-postgres"),
    "reports": ("dbt-docs", "performance-report", "tell-people"),  # tell-people: notifications, when configured
}
STAGES: tuple[str, ...] = tuple(STAGE_TASKS)

_FLOW_BEGIN = re.compile(r"Beginning flow run '(?P<name>[^']*)' for flow 'nightly'")
_TASK_FINISHED = re.compile(r"Task run '(?P<name>[^']+)' - Finished in state (?P<state>\w+)")


@dataclass
class StageTimes:
    """Seconds per stage (``None`` = the stage did not run), plus where the flow began and ended."""

    stages: dict[str, float | None] = field(default_factory=dict)
    flow_start: float | None = None
    flow_end: float | None = None
    failed_tasks: list[str] = field(default_factory=list)

    @property
    def flow_seconds(self) -> float | None:
        if self.flow_start is None or self.flow_end is None:
            return None
        return self.flow_end - self.flow_start


#: Prefect names a task run ``<task name>-<three characters>``; a prefix test alone would file a task named
#: e.g. ``dbt-build-extra-1a2`` under ``dbt-build``.
_RUN_SUFFIX = re.compile(r"-[0-9a-z]{3}$")


def _stage_of(task_run_name: str) -> str | None:
    task_name = _RUN_SUFFIX.sub("", task_run_name)
    for stage, tasks in STAGE_TASKS.items():
        if task_name in tasks or task_run_name in tasks:
            return stage
    return None


def parse_stage_times(lines: Iterable[tuple[float, str]]) -> StageTimes:
    """``lines`` are ``(seconds since the child started, text)``; returns stage durations in seconds."""
    result = StageTimes()
    stage_end: dict[str, float] = {}
    flow_finished: re.Pattern[str] | None = None
    for stamp, text in lines:
        begin = _FLOW_BEGIN.search(text) if result.flow_start is None else None
        if begin:
            result.flow_start = stamp
            flow_finished = re.compile(rf"Flow run '{re.escape(begin.group('name'))}' - Finished in state")
            continue
        if flow_finished is not None and flow_finished.search(text):
            result.flow_end = stamp
            continue
        match = _TASK_FINISHED.search(text)
        if not match:
            continue
        stage = _stage_of(match.group("name"))
        if stage is None:
            continue
        stage_end[stage] = stamp  # the last task of a stage to finish ends it
        if match.group("state") != "Completed":
            result.failed_tasks.append(match.group("name"))
    if result.flow_start is None:
        return result
    previous = result.flow_start
    for stage in STAGES:
        end = stage_end.get(stage)
        if end is None or end < previous:
            result.stages[stage] = None
            continue
        result.stages[stage] = end - previous
        previous = end
    if result.flow_end is None:
        result.flow_end = previous
    return result


def stage_at(times: StageTimes, seconds: float | None) -> str | None:
    """The stage running ``seconds`` after the child started (``overhead`` outside the flow)."""
    if seconds is None:
        return None
    if times.flow_start is None or seconds < times.flow_start:
        return "overhead"
    end = times.flow_start
    for stage in STAGES:
        duration = times.stages.get(stage)
        if duration is None:
            continue
        end += duration
        if seconds <= end:
            return stage
    return "overhead"
