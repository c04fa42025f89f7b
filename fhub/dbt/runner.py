"""Run dbt in-process against the work DuckDB file, with per-node progress, and release the file afterwards."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from fhub import faults
from fhub.dbt.rebuild import ENV_VAR as REBUILD_ENV_VAR
from fhub.dbt.run_context import run_context_for
from fhub.settings import Paths, apply_offline_env

Progress = Callable[[str], None]


@dataclass
class DbtOutcome:
    command: str
    success: bool
    counts: dict[str, int] = field(default_factory=dict)  # status -> nodes
    failures: list[dict] = field(default_factory=list)  # {node, status, message}
    target_dir: Path | None = None

    def summary(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        return f"dbt {self.command}: {'OK' if self.success else 'FAILED'} ({parts})"


#: dbt commands that execute models: only they read the run context (fhub/dbt/run_context.py).
_EXECUTING_COMMANDS = frozenset({"build", "run", "test", "seed", "snapshot", "show", "run-operation"})


def dbt_env(paths: Paths, rebuild: Sequence[str] = ()) -> dict[str, str]:
    """Environment dbt needs: where the work file is and its temporary folder (profiles/profiles.yml reads them
    with dbt's own ``env_var()``), and the incremental models to rebuild from scratch
    (``macros/should_full_refresh.sql``; none unless named, for every invocation). :func:`run_dbt` sets it for
    the duration of one invocation only (:func:`dbt_environment`). The run id is not here: it is data
    (:mod:`fhub.dbt.run_context`)."""
    return {
        "FHUB_WORK_DB": str(paths.work_db),
        "FHUB_DUCKDB_TEMP_DIR": str(paths.work_dir / "duckdb-tmp"),
        REBUILD_ENV_VAR: ",".join(rebuild),
    }


@contextmanager
def dbt_environment(env: Mapping[str, str]) -> Iterator[None]:
    """``env`` in the process environment while dbt runs in-process (dbt's ``env_var()`` reads nothing else),
    then the previous values back: a run's settings do not outlive its dbt invocation."""
    apply_offline_env()
    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def release_duckdb_handles() -> None:
    """dbt-duckdb keeps the database open after ``invoke()`` returns; close it so others can open the file."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager
    except ImportError:  # pragma: no cover - dbt-duckdb is a hard dependency
        return
    if manager._ENV is not None:
        manager._ENV.close()
        manager._ENV = None
    manager.close_all_connections()


def run_dbt(
    paths: Paths,
    command: str = "build",
    *,
    args: Sequence[str] = (),
    run_id: str | None = None,
    vars: dict | None = None,
    progress: Progress | None = None,
    rebuild: Sequence[str] = (),
) -> DbtOutcome:
    """Invoke ``dbt <command>`` in this process. Every node's result is reported through ``progress``. The marts
    stamp their rows with ``run_id`` ('dev' when None), written into the work file for this invocation."""
    import json

    from dbt.cli.main import dbtRunner

    env = dbt_env(paths, rebuild)
    paths.work_dir.mkdir(parents=True, exist_ok=True)
    (paths.work_dir / "duckdb-tmp").mkdir(exist_ok=True)
    target = paths.dbt_target
    cli = [
        "--quiet",  # progress reaches the log through the callback below, once per node
        *command.split(),  # "build", or a command and its subcommand: "docs generate"
        "--project-dir",
        str(paths.project),
        "--profiles-dir",
        str(paths.project / "profiles"),
        "--target-path",
        str(target),
        "--log-path",
        str(paths.data / "logs"),
        *(["--vars", json.dumps(vars)] if vars else []),
        *args,
    ]

    def on_event(event) -> None:
        name = event.info.name
        if name == "LogModelResult":
            faults.point("transform.mid")
        if progress is None:
            return
        if name in {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult"}:
            progress(event.info.msg)
        elif name in {"LogStartLine"} and event.data.index <= 1:
            progress(event.info.msg)

    runner = dbtRunner(callbacks=[on_event])
    # the marts read the run id from the work file (fhub/dbt/run_context.py), for this invocation only
    executes = command.split()[0] in _EXECUTING_COMMANDS
    recorded = run_context_for(paths.work_db, run_id, command) if executes else nullcontext()
    with recorded, dbt_environment(env):
        try:
            result = runner.invoke(cli)
        finally:
            release_duckdb_handles()

    outcome = DbtOutcome(command=command, success=bool(result.success), target_dir=target)
    if result.exception is not None:
        outcome.failures.append({"node": "dbt", "status": "error", "message": str(result.exception)})
    nodes = getattr(result.result, "results", None) or []
    for node in nodes:
        status = str(getattr(node.status, "value", node.status))
        outcome.counts[status] = outcome.counts.get(status, 0) + 1
        if status in {"error", "fail", "runtime error"}:
            outcome.failures.append(
                {"node": node.node.unique_id, "status": status, "message": (node.message or "")[:2000]}
            )
    if progress:
        progress(outcome.summary())
    return outcome
