"""The publish gate of a night (fhub/dq/gate.py): what the nightly flow used to decide inline."""

from __future__ import annotations

import json

import duckdb

from fhub.dbt.runner import DbtOutcome
from fhub.dq.gate import (
    dbt_block_reason,
    privacy_audit_outcome,
    run_gate,
    run_manifest,
    snapshot_published_values,
)
from fhub.landing import open_work_db
from fhub.quality.gx_runner import GxOutcome
from fhub.settings import PROJECT_DIR, Paths

NHS_NUMBER = "943 476 5919"


def _paths(tmp_path) -> Paths:
    return Paths(project=PROJECT_DIR, data=tmp_path / "data").ensure()


def _landed_paths(tmp_path) -> Paths:
    """A work file as landing leaves it (landing schema, nothing delivered)."""
    paths = _paths(tmp_path)
    open_work_db(paths).close()
    return paths


def test_failed_dbt_build_without_results_and_without_contract_blocks_everything(tmp_path):
    """dbt stopped before writing run_results.json and the manifest: the night blocks, saying why - the dbt
    failure first, then the missing contract - and the results that could be recorded are in the history."""
    paths = _landed_paths(tmp_path)
    failed = DbtOutcome(command="build", success=False, target_dir=paths.dbt_target,
                        failures=[{"node": "model.family_hubs.fct_x", "status": "error",
                                   "message": f"Conversion Error: could not convert {NHS_NUMBER}"}])
    decision = run_gate(paths, "run-1", failed, GxOutcome(success=True))
    assert decision.block_all
    assert decision.block_reasons[0].startswith("dbt build failed: model.family_hubs.fct_x: ")
    assert NHS_NUMBER not in " ".join(decision.block_reasons)  # the error text stays in dbt's log
    assert any("manifest.json does not exist" in r for r in decision.block_reasons)
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:  # the history exists: what could be recorded was
        assert con.execute("select count(*) from dq.check_results where run_id = 'run-1'").fetchone()[0] >= 0
    finally:
        con.close()


def test_successful_dbt_outcome_without_run_results_is_an_error(tmp_path):
    """A build that says it succeeded must have left its results: a missing file is not silently ignored."""
    paths = _landed_paths(tmp_path)
    ok = DbtOutcome(command="build", success=True, target_dir=paths.dbt_target)
    try:
        run_gate(paths, "run-1", ok, GxOutcome(success=True))
    except FileNotFoundError:
        return
    raise AssertionError("a successful dbt outcome without run_results.json must raise")


def test_dbt_block_reason_names_five_nodes_at_most():
    failures = [{"node": f"model.family_hubs.m{i}", "message": "Got 3 results, configured to fail if != 0"}
                for i in range(8)]
    reason = dbt_block_reason(failures)
    assert reason.count("model.family_hubs.m") == 5
    assert "m5" not in reason


def test_run_manifest_makes_failures_safe_and_scrubs_identifiers():
    dbt = DbtOutcome(command="build", success=True,
                     failures=[{"node": "test.x", "status": "fail", "message": f"bad value {NHS_NUMBER}"}])
    gx = GxOutcome(success=True, results=[{"success": False, "note": f"see {NHS_NUMBER}"}])
    manifest = run_manifest({"run_id": "run-1"}, dbt, gx)
    assert manifest["run_id"] == "run-1"
    assert manifest["dbt_failures"][0]["node"] == "test.x"
    assert NHS_NUMBER not in json.dumps(manifest)


def test_privacy_audit_outcome_reads_the_manifest_the_publish_wrote(tmp_path):
    paths = _paths(tmp_path)
    assert privacy_audit_outcome(paths, "run-1") == {}
    (paths.manifests / "run-1.json").write_text(json.dumps({"privacy_audit": {"redacted": 2}}))
    assert privacy_audit_outcome(paths, "run-1") == {"redacted": 2}
    (paths.manifests / "run-2.json").write_text("{not json")
    assert privacy_audit_outcome(paths, "run-2") == {}


def test_snapshot_of_a_published_file_without_indicator_values_records_nothing(tmp_path):
    paths = _paths(tmp_path)
    duckdb.connect(str(paths.published_db)).close()
    assert snapshot_published_values(paths, "run-1") == 0
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        assert con.execute("select count(*) from dq.indicator_snapshots").fetchone()[0] == 0
    finally:
        con.close()
