"""dbt ``run_results.json`` + ``manifest.json`` → ``dq.check_results`` rows (source ``dbt``).

Recorded: every data test and unit test, and every model/seed that errored. Mapping:

* dimension: unique → uniqueness, not_null → completeness, accepted_values → validity, relationships →
  consistency, unit tests → consistency, anything else → validity. ``config.meta.dq_dimension`` overrides.
* severity: a failing test on a public mart (a model declared ``access: public``, fhub/dbt/contract.py), a failing
  unit test, a test that errored and a model that failed to build are ``blocking_all`` (the mart cannot be
  trusted); a test configured ``severity: warn`` is ``warn``; any other failing test is ``blocking_all``
  because a dbt test cannot say which borough it concerns — unless its ``meta`` carries ``borough_code`` /
  ``extract_type`` / ``period`` and ``dq_severity: withhold_scope``.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from fhub.dbt.contract import public_model_names
from fhub.dq.results import CheckResult, write_check_results
from fhub.dq.samples import sample_of_query
from fhub.privacy.messages import safe_dbt_message

_DIMENSION = {
    "unique": "uniqueness",
    "not_null": "completeness",
    "accepted_values": "validity",
    "relationships": "consistency",
    "unit": "consistency",
}

_FIX = {
    "unique": "Duplicate keys: check the borough's delivery for repeated rows or a resubmission that did not "
    "supersede the earlier file; then check the model's join for fan-out.",
    "not_null": "A required value is missing: check the borough's mapping file (config/boroughs/<slug>.yml) "
    "maps this column, and that the source column is filled in.",
    "accepted_values": "A value outside the agreed list: add it to the mapping's `values:` translation if it "
    "is a local code, or ask the borough to correct it.",
    "relationships": "A row points at something that does not exist (e.g. a hub not in the hub register): "
    "update seeds/reference or correct the delivery.",
    "unit": "The transformation logic no longer gives the expected answer: a code change broke it. Fix the "
    "model before publishing.",
}


def _attached_model(node: dict, manifest: dict) -> str | None:
    attached = node.get("attached_node") or ""
    if not attached:
        depends = (node.get("depends_on") or {}).get("nodes") or []
        attached = next((d for d in depends if d.startswith(("model.", "seed.", "snapshot."))), "")
    if attached:
        target = manifest.get("nodes", {}).get(attached) or {}
        return target.get("alias") or target.get("name") or attached.split(".")[-1]
    return node.get("model")  # unit tests carry the model name directly


def _test_kind(node: dict, unique_id: str) -> str:
    if unique_id.startswith("unit_test."):
        return "unit"
    meta = node.get("test_metadata") or {}
    return meta.get("name") or "singular"


def _sample(con, res: dict, column: str | None) -> list[str]:
    """Row numbers or keyed hashes of a failing test's rows, from its own compiled query (fhub/dq/samples.py)."""
    sql = res.get("compiled_code")
    if con is None or not sql:
        return []
    keys = ("unique_field", "from_field", "field", column or "") if str(column or "").endswith("_key") else ()
    return sample_of_query(con, sql, keys)


def dbt_check_results(target_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> list[CheckResult]:
    """Read ``run_results.json`` and ``manifest.json`` from a dbt target folder; with ``con`` (the work file), a
    failing test's rows are sampled by row number or keyed hash."""
    target_dir = Path(target_dir)
    run_results_path = target_dir / "run_results.json"
    if not run_results_path.exists():
        raise FileNotFoundError(
            f"{run_results_path} does not exist: run `dbt build` before recording results."
        )
    run_results = json.loads(run_results_path.read_text())
    manifest_path = target_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    public = public_model_names(manifest)  # the publish contract: models declared access: public
    out: list[CheckResult] = []
    for res in run_results.get("results", []):
        uid: str = res.get("unique_id", "")
        status = res.get("status")
        node = nodes.get(uid, {})
        resource = uid.split(".", 1)[0]
        if resource in {"model", "seed", "snapshot"}:
            if status != "error":
                continue
            name = node.get("alias") or uid.split(".")[-1]
            out.append(
                CheckResult(
                    check_name=f"builds:{name}",
                    source="dbt",
                    dimension="consistency",
                    severity="blocking_all",
                    status="fail",
                    target_relation=name,
                    observed_value="error",
                    message=f"dbt could not build {name}: {safe_dbt_message(res.get('message'))}.",
                    fix="Read the dbt log for this model, fix the SQL or the input, and run again.",
                )
            )
            continue
        if resource not in {"test", "unit_test"} or status == "skipped":
            continue
        kind = _test_kind(node, uid)
        model = _attached_model(node, manifest)
        column = node.get("column_name") or ((node.get("test_metadata") or {}).get("kwargs") or {}).get(
            "column_name"
        )
        config = node.get("config") or {}
        meta = {**(node.get("meta") or {}), **(config.get("meta") or {})}
        failures = res.get("failures")
        dq_status = {"pass": "pass", "success": "pass", "warn": "warn"}.get(status, "fail")
        if dq_status == "pass":
            severity = meta.get("dq_severity", "warn" if config.get("severity") == "warn" else "blocking_all")
        elif dq_status == "warn":
            severity = "warn"
        elif status == "error" or kind == "unit" or (model in public):
            severity = "blocking_all"
        else:
            severity = meta.get("dq_severity", "blocking_all")
        if severity == "withhold_scope" and not meta.get("borough_code"):
            severity = "blocking_all"
        subject = f"{model}.{column}" if column else (model or uid)
        verb = {
            "unique": "has duplicate values",
            "not_null": "has missing values",
            "accepted_values": "has values outside the agreed list",
            "relationships": "has values that do not match the table they refer to",
            "unit": "gave a different answer from its unit test",
        }.get(kind, "failed a data test")
        if dq_status == "pass":
            message = f"{subject}: {kind} test passed."
        elif status == "error":
            message = f"The {kind} test on {subject} could not run: {safe_dbt_message(res.get('message'))}."
        else:
            message = f"{subject} {verb}" + (f" ({failures} rows)." if failures else ".")
        out.append(
            CheckResult(
                check_name=node.get("name") or uid.split(".")[-2 if resource == "test" else -1],
                source="dbt",
                dimension=meta.get("dq_dimension") or _DIMENSION.get(kind, "validity"),
                severity=severity,
                status=dq_status,
                borough_code=meta.get("borough_code"),
                extract_type=meta.get("extract_type"),
                period=meta.get("period"),
                target_relation=model,
                observed_value=str(failures) if failures is not None else status,
                failing_rows=int(failures) if isinstance(failures, int) else None,
                failing_sample=_sample(con, res, column) if dq_status != "pass" and status != "error" else [],
                message=message,
                fix=""
                if dq_status == "pass"
                else meta.get("dq_fix") or _FIX.get(kind, "See the dbt test SQL."),
            )
        )
    return out


def record_dbt_results(con: duckdb.DuckDBPyConnection, run_id: str, target_dir: Path) -> int:
    """Append this run's dbt test results to ``dq.check_results``; returns rows written."""
    return write_check_results(con, run_id, "dbt", dbt_check_results(target_dir, con))
