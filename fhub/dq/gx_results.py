"""Great Expectations 1.x results → ``dq.check_results`` rows (source ``gx``).

Accepts a ``CheckpointResult``, one or more ``ExpectationSuiteValidationResult``s, their JSON dicts, or the
plain list of dicts the pipeline builds itself::

    {"expectation_type": "expect_column_values_to_not_be_null", "suite": "eyfsp", "table": "marts.fct_x",
     "column": "person_key", "success": False, "observed_value": None, "unexpected_count": 3,
     "partial_unexpected_list": [...],
     "meta": {"borough_code": "E09000012", "extract_type": "eyfsp", "period": "2023/24",
              "dimension": "completeness", "severity": "withhold_scope", "message": "...", "fix": "..."}}

Suites put the scope (borough_code, extract_type, period) and dimension/severity in each expectation's
``meta``. A failing expectation without a severity is ``withhold_scope`` when it names a borough and
``blocking_all`` when it does not (it concerns the whole mart).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import duckdb

from fhub.dq.results import CheckResult, pseudonymised_sample, write_check_results
from fhub.privacy.messages import error_kind

_DIMENSION_BY_WORD: tuple[tuple[str, str], ...] = (
    ("to_not_be_null", "completeness"),
    ("to_be_null", "completeness"),
    ("row_count", "completeness"),
    ("unique", "uniqueness"),
    ("pair_values", "consistency"),
    ("multicolumn", "consistency"),
    ("column_pair", "consistency"),
    ("to_equal_other_table", "consistency"),
    ("in_set", "validity"),
    ("match_regex", "validity"),
    ("of_type", "validity"),
    ("match_strftime", "validity"),
    ("dateutil_parseable", "validity"),
    ("between", "plausibility"),
    ("mean", "plausibility"),
    ("median", "plausibility"),
    ("stdev", "plausibility"),
    ("proportion", "plausibility"),
    ("kl_divergence", "plausibility"),
    ("quantile", "plausibility"),
)

_FIX_BY_DIMENSION = {
    "completeness": "Values or rows are missing: check the borough's extract is complete for the period and the "
    "mapping file maps every required column.",
    "validity": "Values are not in the agreed format or list: correct them at source or add a translation in "
    "the borough's mapping file.",
    "uniqueness": "The same record appears more than once: check for repeated rows or overlapping deliveries.",
    "timeliness": "Data arrived late or is out of date: ask the borough's data officer to send the extract.",
    "consistency": "Figures do not agree with each other: check totals against breakdowns and the source system.",
    "plausibility": "Figures are outside the usual range: confirm with the borough whether this is a real "
    "change or an extract error before it is published.",
}


def dimension_for(expectation_type: str) -> str:
    for word, dimension in _DIMENSION_BY_WORD:
        if word in expectation_type:
            return dimension
    return "validity"


def _table_from_suite_meta(meta: dict) -> str | None:
    batch_spec = meta.get("batch_spec") or {}
    active = meta.get("active_batch_definition") or {}
    return (
        batch_spec.get("table_name")
        or batch_spec.get("data_asset_name")
        or active.get("data_asset_name")
        or (meta.get("batch_markers") or {}).get("table")
    )


def _flatten_suite(suite: dict) -> list[dict]:
    meta = suite.get("meta") or {}
    table = _table_from_suite_meta(meta)
    suite_name = suite.get("suite_name") or meta.get("expectation_suite_name")
    rows = []
    for res in suite.get("results") or []:
        config = res.get("expectation_config") or {}
        result = res.get("result") or {}
        kwargs = config.get("kwargs") or {}
        exc = res.get("exception_info") or {}
        raised = bool(exc.get("raised_exception")) if isinstance(exc, dict) else False
        rows.append(
            {
                "expectation_type": config.get("type") or config.get("expectation_type"),
                "suite": suite_name,
                "table": table,
                "column": kwargs.get("column") or kwargs.get("column_list"),
                "success": bool(res.get("success")),
                "observed_value": result.get("observed_value"),
                "unexpected_count": result.get("unexpected_count"),
                "element_count": result.get("element_count"),
                "partial_unexpected_list": result.get("partial_unexpected_list"),
                "exception": exc.get("exception_message") if raised else None,
                "meta": config.get("meta") or {},
            }
        )
    return rows


def _to_flat(results: Any) -> list[dict]:
    """Normalise every accepted input shape to the plain dict list."""
    if results is None:
        return []
    if hasattr(results, "run_results"):  # CheckpointResult
        return _to_flat(list(results.run_results.values()))
    if hasattr(results, "to_json_dict"):  # ExpectationSuiteValidationResult
        return _flatten_suite(results.to_json_dict())
    if isinstance(results, dict):
        if "results" in results and "expectation_type" not in results:
            return _flatten_suite(results)
        if "run_results" in results:
            return _to_flat(list(results["run_results"].values()))
        return [results]
    if isinstance(results, Iterable) and not isinstance(results, str | bytes):
        flat: list[dict] = []
        for item in results:
            flat.extend(_to_flat(item))
        return flat
    raise TypeError(f"Cannot read GX results of type {type(results).__name__}")


def _short(value: Any, limit: int = 200) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text[:limit]


def gx_check_results(results: Any) -> list[CheckResult]:
    out: list[CheckResult] = []
    for row in _to_flat(results):
        meta = row.get("meta") or {}
        etype = row.get("expectation_type") or "unknown_expectation"
        column = row.get("column")
        column_text = ",".join(column) if isinstance(column, list | tuple) else column
        dimension = meta.get("dimension") or dimension_for(etype)
        borough = meta.get("borough_code")
        severity = meta.get("severity") or ("withhold_scope" if borough else "blocking_all")
        if severity == "withhold_scope" and not borough:
            severity = "blocking_all"
        success = bool(row.get("success"))
        status = "pass" if success else ("warn" if severity == "warn" else "fail")
        table = row.get("table")
        subject = (
            f"{table}.{column_text}" if table and column_text else (table or column_text or row.get("suite"))
        )
        unexpected = row.get("unexpected_count")
        if success:
            message = meta.get("message_pass") or f"{subject}: {etype.replace('_', ' ')} — passed."
        elif row.get("exception"):
            kind = error_kind(row["exception"]) or "an error"
            message = f"{subject}: the check could not run ({kind}; the error text is in the GX log, not repeated here)."
        else:
            message = meta.get("message") or (
                f"{subject}: {etype.replace('expect_', '').replace('_', ' ')} — failed"
                + (f" for {unexpected} rows" if unexpected else "")
                + (
                    f" (observed {_short(row.get('observed_value'), 60)})"
                    if row.get("observed_value") is not None
                    else ""
                )
                + "."
            )
        name = meta.get("check_name") or f"{etype}" + (f"({column_text})" if column_text else "")
        out.append(
            CheckResult(
                check_name=name,
                source="gx",
                dimension=dimension,
                severity=severity,
                status=status,
                borough_code=borough,
                extract_type=meta.get("extract_type"),
                period=meta.get("period"),
                target_relation=table or row.get("suite"),
                observed_value=_short(row.get("observed_value")),
                failing_rows=int(unexpected) if isinstance(unexpected, int | float) else None,
                failing_sample=[]
                if success
                else list(row.get("failing_sample") or [])
                or pseudonymised_sample(row.get("partial_unexpected_list"), column),
                message=message,
                fix="" if success else meta.get("fix") or _FIX_BY_DIMENSION.get(dimension, ""),
            )
        )
    return out


def record_gx_results(con: duckdb.DuckDBPyConnection, run_id: str, results: Any) -> int:
    """Append this run's GX results to ``dq.check_results``; returns rows written."""
    return write_check_results(con, run_id, "gx", gx_check_results(results))
