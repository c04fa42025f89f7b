"""The environment is read only at the entry points (issue 15): fhub/cli/ and the nightly flow (the
deployment's entry point) resolve ``Paths`` and the run context once and hand them down; library code takes
them as parameters. Every other module that reads the environment is listed below, with the reason."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Reading the environment: ``os.environ``, ``os.getenv``, ``Paths.from_env(``.
READS_ENVIRONMENT = re.compile(r"os\.environ|os\.getenv|\bfrom_env\(")

ENTRY_POINTS = {
    "fhub/cli/": "the command line",
    "flows/nightly.py": "the deployment's entry point: resolves Paths and the RunContext once per night",
}

#: Deliberate exceptions: file (or folder prefix) -> why it may read the environment.
ALLOWED = {
    "fhub/settings.py": "defines Paths.from_env (called only by entry points), "
    "apply_offline_env (the offline switches every process sets) and duckdb_memory_limit (a tuning knob every "
    "DuckDB connection honours)",
    "fhub/dbt/runner.py": "dbt's own mechanism: profiles/profiles.yml (the work file's path, its temp folder) and "
    "macros/should_full_refresh.sql (the models to rebuild) use env_var(), which reads only the process "
    "environment; set for one in-process dbt invocation and restored afterwards (dbt_environment). The run id "
    "is data (fhub/dbt/run_context.py)",
    "fhub/faults.py": "fault injection for the kill tests (FHUB_FAULT_AT), never set in production",
    "fhub/notify/": "notification secrets (SMTP password, webhook URLs) are named in config/notifications.yml "
    "and read from the environment by the channel that sends, never stored in a flow parameter",
    "fhub/report/pdf.py": "FHUB_CHROMIUM: where the Chromium binary is when it is not on PATH (a machine fact, "
    "like PATH itself)",
}
#: Not checked: fhub_dev/ (the demo generator and the benchmark are developer tools with entry points of their
#: own; they may read the environment like the CLI does).


def _readers() -> dict[str, int]:
    found = {}
    for folder in ("fhub", "flows", "expectations"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            hits = len(READS_ENVIRONMENT.findall(path.read_text(encoding="utf-8")))
            if hits:
                found[path.relative_to(ROOT).as_posix()] = hits
    return found


def _listed(name: str, listing) -> bool:
    return any(name == a or (a.endswith("/") and name.startswith(a)) for a in listing)


def _allowed(name: str) -> bool:
    return _listed(name, ENTRY_POINTS) or _listed(name, ALLOWED)


def test_only_entry_points_and_listed_exceptions_read_the_environment():
    unexpected = sorted(name for name in _readers() if not _allowed(name))
    assert unexpected == [], "read the setting at the entry point and pass it down (Paths / RunContext)"


def test_every_listed_exception_still_reads_the_environment():
    """An exception that no longer applies is removed from the list (it would hide a new reader)."""
    readers = _readers()
    stale = [a for a in ALLOWED if not any(n == a or (a.endswith("/") and n.startswith(a)) for n in readers)]
    assert stale == []


def test_subflows_and_library_code_take_the_run_context():
    for name in ("land", "transform", "validate", "publish"):
        text = (ROOT / "flows" / f"{name}.py").read_text(encoding="utf-8")
        assert re.search(rf"def {name}\(ctx: RunContext", text), name
