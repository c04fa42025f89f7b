"""Plain data classes describing GX suites, so suites in ``expectations/`` stay declarative code."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Check:
    """One expectation: ``kind`` is a GX expectation class name, e.g. ``ExpectColumnValuesToBeBetween``."""

    kind: str
    kwargs: dict
    dimension: str
    severity: str = "blocking_all"  # blocking_all | withhold_scope | warn
    message: str = ""
    fix: str = ""
    scope: dict = field(
        default_factory=dict
    )  # {"borough_code": col, "extract_type": col|literal, "period": col}


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    #: SQL over the work file (tables referenced as schema.table). Run once per night; GX validates its result
    #: (a table of the same name in work/gx_inputs.duckdb, see fhub.quality.gx_runner).
    query: str
    checks: tuple[Check, ...]
    #: Result columns identifying failing rows in the DQ report (row keys, never raw identifiers).
    index_columns: tuple[str, ...] = ()
    #: Relations that must exist in the work file for the suite to run (else it is reported as skipped).
    requires: tuple[str, ...] = ()
