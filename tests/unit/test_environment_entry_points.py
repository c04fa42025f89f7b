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
    "fhub/settings.py": "defines Paths.from_env (called only by entry points), apply_offline_env (the offline "
    "switches every process sets) and duckdb_memory_limit (a tuning knob every DuckDB connection honours)",
    "fhub/dbt/runner.py": "dbt's env_var() reads only the process environment: the run's settings are set for the "
    "duration of one in-process dbt invocation and restored afterwards (dbt_environment)",
    "fhub/pseudonymise.py": "resolve_key(env=None) falls back to the process environment for the pre-send check, "
    "which resolves the key lazily (only when it compares with history); the nightly passes its env",
    "fhub/privacy/vault.py": "resolve_originals_secret(env=None) falls back to the process environment for "
    "`fhub archive open`; the nightly passes its env",
    "fhub/faults.py": "fault injection for the kill tests (FHUB_FAULT_AT), never set in production",
    "fhub/landing/engine.py": "developer switch FHUB_LANDING_RAISE (see a traceback instead of a quarantine)",
    "fhub/landing/land.py": "tuning knob FHUB_LANDING_GROUP_BYTES, read at import",
    "fhub/landing/stage.py": "tuning knob FHUB_LANDING_PREPARE_THREADS, read at import",
    "fhub/landing/workbook.py": "tuning knob FHUB_XLSX_FAST_MAX_BYTES, read at import",
    "fhub/notify/": "notification secrets (SMTP password, webhook URLs) are named in config/notifications.yml "
    "and read from the environment by the channel that sends, never stored in a flow parameter",
    "fhub/publish.py": "compatibility: `fhub.publish.PUBLIC_RELATIONS` for old imports reads the contract of "
    "the default data folder (issue 16 owns publish.py)",
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
