"""The GX gate on a small work file: it catches bad data, names the failing scope, and releases the file."""

import shutil

import duckdb
import pytest

from fhub.contracts import CONTRACTS, raw_table_ddl
from fhub.quality.gx_runner import run_checkpoint
from fhub.settings import PROJECT_DIR, Paths


@pytest.fixture(scope="module")
def outcome(tmp_path_factory, dbt_target):
    data = tmp_path_factory.mktemp("gx")
    paths = Paths(project=PROJECT_DIR, data=data).ensure()
    # the suites over the mart validate what the publish contract (dbt manifest) publishes as indicator_values
    shutil.copytree(dbt_target, paths.dbt_target, dirs_exist_ok=True)
    con = duckdb.connect(str(paths.work_db))
    con.execute("create schema raw; create schema landing; create schema marts")
    for contract in CONTRACTS.values():
        con.execute(raw_table_ddl(contract))
    con.execute(
        "create table landing.deliveries (delivery_id varchar, borough_code varchar, extract_type varchar, "
        "period varchar, status varchar, rows_delivered bigint, rows_landed bigint, rows_rejected bigint)"
    )
    con.execute(
        "insert into landing.deliveries values ('d1','E09000012','contacts','2024-05','landed',3,2,1),"
        "('d2','E09000024','contacts','2024-05','landed',2,2,0)"
    )
    con.execute(
        "insert into raw.hub_contacts (contact_id, person_key, _delivery_id, _borough_code, _period) values "
        "('c1', repeat('a', 64), 'd1', 'E09000012', '2024-05'), ('c2', repeat('b', 64), 'd1', 'E09000012', '2024-05'),"
        "('c3', repeat('c', 64), 'd2', 'E09000024', '2024-05')"
    )
    con.execute(
        "create table marts.fct_indicator_values as select * from (values "
        "('eyfs_gld', 'borough', 'E09000012', '2023/24', 'total', 'total', 60, 100, 60.0, 50.0, 69.0, 45.0, 73.0),"
        "('eyfs_gld', 'borough', 'E09000024', '2023/24', 'total', 'total', 99, 100, 99.0, 95.0, 99.9, 93.0, 100.0)) "
        "t(metric_id, geography_level, geography_code, period, breakdown_type, breakdown_value, numerator, "
        "denominator, value, lower_95, upper_95, lower_998, upper_998)"
    )
    con.close()
    result = run_checkpoint(paths, build_docs=True)
    return paths, result


def test_gate_names_the_failing_scopes(outcome):
    _, result = outcome
    failed = {r["suite"]: r for r in result.results if not r["success"]}
    assert set(failed) == {"raw_reconciliation", "gld_plausibility"}
    assert failed["raw_reconciliation"]["failing_rows"][0]["delivery_id"] == "d2"
    assert failed["gld_plausibility"]["failing_rows"][0]["borough_code"] == "E09000024"
    # each failing row carries its row number in the suite's input table: the DQ sample (issue 16)
    samples = {r["meta"]["check_name"]: r["failing_sample"] for r in result.dq_rows() if not r["success"]}
    assert samples and all(s and all(e.startswith("row ") for e in s) for s in samples.values()), samples
    assert result.blocking_failures == []
    assert not result.success


def test_an_unhashed_key_blocks_everything(outcome, tmp_path):
    paths, _ = outcome
    data = tmp_path / "data"
    shutil.copytree(paths.data, data)
    bad = Paths(project=PROJECT_DIR, data=data)
    con = duckdb.connect(str(bad.work_db))
    con.execute("update raw.hub_contacts set person_key = '9434765919' where contact_id = 'c1'")
    con.close()
    result = run_checkpoint(bad, build_docs=False)
    assert [r["suite"] for r in result.blocking_failures] == ["raw_keys"]


def test_data_docs_written_and_file_released(outcome):
    paths, result = outcome
    assert result.docs_index and result.docs_index.exists()
    duckdb.connect(str(paths.work_db)).close()  # a read-write open would fail if GX still held the file


def test_each_suite_query_is_validated_from_one_snapshot(outcome):
    """GX validates a snapshot of each suite's query result (one run of the query per night), kept beside
    the work file so the checkpoint can be re-run by hand; the snapshot holds what the work file held."""
    paths, _ = outcome
    con = duckdb.connect(str(paths.work_dir / "gx_inputs.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        keys = con.execute("select delivery_id, rows_in_raw, unhashed_keys from raw_keys order by 1").fetchall()
    finally:
        con.close()
    assert {"raw_reconciliation", "raw_keys", "indicator_values", "gld_plausibility"} <= tables
    assert keys == [("d1", 2, 0), ("d2", 1, 0)]
