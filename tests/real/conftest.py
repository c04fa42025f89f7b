"""Real published files: land them once per session into a temporary work file and build the reference models.

Skipped cleanly when the real-data folder is absent (``FHUB_REAL_DATA_DIR`` or ``../shared/data/real``).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from fhub.settings import DEFAULT_REAL_DATA_DIR

REAL_DIR = Path(os.environ.get("FHUB_REAL_DATA_DIR", DEFAULT_REAL_DATA_DIR))

REFERENCE_SELECTION = [
    "--select",
    "london_boroughs staging.dfe staging.ohid staging.mhclg intermediate.reference path:tests/dbt/reference",
    "--indirect-selection",
    "cautious",  # only tests whose parents are all selected (not other seeds' relationship tests)
]


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL_DIR.is_dir():
        pytest.skip(f"real-data folder {REAL_DIR} is not present")
    return REAL_DIR


@pytest.fixture(scope="session")
def reference_build(real_dir, tmp_path_factory):
    """(landing result, dbt outcome, path of the work file) for the real files."""
    from fhub.reference import land_reference
    from fhub.settings import Paths
    from fhub.transform import run_dbt

    data = tmp_path_factory.mktemp("realdata")
    paths = Paths(project=Paths.from_env().project, data=data)
    landed = land_reference(paths, "real-test", real_dir=real_dir)
    outcome = run_dbt(paths, "build", args=REFERENCE_SELECTION, run_id="real-test")
    return landed, outcome, paths.work_db


@pytest.fixture(scope="session")
def warehouse(reference_build):
    _landed, _outcome, db = reference_build
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()
