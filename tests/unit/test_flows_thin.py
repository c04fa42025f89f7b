"""Flows only compose tasks (docs/architecture.md): no SQL, no DuckDB connection, no decisions in flows/."""

from __future__ import annotations

import re
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[2] / "flows"

#: What a flow file must not contain: running SQL or opening a database is library work (fhub/...).
FORBIDDEN = {
    "runs SQL": re.compile(r"\.execute\("),
    "opens DuckDB": re.compile(r"duckdb\.connect|^\s*import duckdb|^\s*from duckdb", re.MULTILINE),
    "opens the work file": re.compile(r"open_work_db\("),
    "flips a publish decision": re.compile(r"\.block_all\s*=|block_reasons\.(append|extend)"),
    "hard-codes a dbt selection": re.compile(r"--select(or)?\b|path:models/"),
}


def test_flow_files_run_no_sql_and_decide_nothing():
    found = [
        f"{path.name}: {what}"
        for path in sorted(FLOWS.glob("*.py"))
        for what, pattern in FORBIDDEN.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_would_catch_sql_in_a_flow():
    sample = 'import duckdb\ncon = duckdb.connect("x")\ncon.execute("select 1")\ndecision.block_all = True\n'
    assert all(p.search(sample) for what, p in FORBIDDEN.items() if what != "opens the work file"
               and what != "hard-codes a dbt selection")
    assert FORBIDDEN["hard-codes a dbt selection"].search('args = ["--select", "path:models/marts/dq"]')
