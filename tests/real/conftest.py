"""Real published files: checked in the work file of the session's nightly run (the ``baseline`` fixture).

Skipped cleanly when the real-data folder is absent (``FHUB_REAL_DATA_DIR`` or ``../shared/data/real``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from fhub.settings import DEFAULT_REAL_DATA_DIR

REAL_DIR = Path(os.environ.get("FHUB_REAL_DATA_DIR", DEFAULT_REAL_DATA_DIR))


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL_DIR.is_dir():
        pytest.skip(f"real-data folder {REAL_DIR} is not present")
    return REAL_DIR


@dataclass
class LandedReference:
    """What reference landing recorded in the work file (ref.reference_issues)."""

    issues: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not [i for i in self.issues if i.severity == "error"]


@pytest.fixture(scope="session")
def reference_build(real_dir, baseline):
    """(landing record, None, work file) from the session's nightly run: the real files were landed by the
    land flow and every reference model and consistency test was built by its ``dbt build`` (which passed,
    or the baseline would have failed)."""
    work_db = baseline["data"] / "work" / "warehouse.duckdb"
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        rows = con.execute("select table_name, issue, severity from ref.reference_issues").fetchall()
    finally:
        con.close()
    issues = [SimpleNamespace(table_name=t, issue=i, severity=s) for t, i, s in rows]
    return LandedReference(issues), None, work_db


@pytest.fixture(scope="session")
def warehouse(reference_build):
    _landed, _outcome, db = reference_build
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()
