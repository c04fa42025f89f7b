"""dq_check_results.failing_sample: row numbers or keyed hashes only, never a raw value (issue 16, point 6)."""

from __future__ import annotations

import hashlib
import json

import duckdb

from fhub.dq import ensure_dq_schema, record_dbt_results, record_landing_results
from fhub.dq.results import pseudonymised_sample
from fhub.dq.samples import key_entry, sample_of_rows
from fhub.landing.ddl import ensure_landing_schema

DELIVERY = hashlib.sha256(b"delivery").hexdigest()
KEY = hashlib.sha256(b"person").hexdigest()
RAW = ("Jane Smith", "943 476 5919", "9434765919")


def _no_raw(samples):
    text = json.dumps(samples)
    assert not any(raw in text for raw in RAW), text


def test_landing_rejected_rows_are_sampled_by_row_number():
    con = duckdb.connect()
    ensure_landing_schema(con)
    ensure_dq_schema(con)
    con.execute(
        "insert into landing.deliveries (delivery_id, borough_code, borough_slug, extract_type, period, "
        "source_file, sha256, size_bytes, loaded_at, run_id, status, rows_delivered, rows_landed, "
        "rows_rejected, rows_warned, delivery_label) values (?, 'E09000012', 'hackney', 'contacts', '2024-05', "
        "'x.csv', ?, 10, now()::timestamp, 'r1', 'landed', 10, 7, 3, 1, 'hackney contacts 2024-05 (delivery x)')",
        [DELIVERY, DELIVERY],
    )
    for table, rows in (("rejects", (7, 3, 9, 3)), ("warnings", (5,))):
        for row in rows:
            con.execute(
                f"insert into landing.{table} (delivery_id, source_file, row_number, column_name, value_excerpt, "
                "reason, fix, run_id) values (?, 'x.csv', ?, 'contact_date', 'text of 10 characters', 'bad', "
                "'fix it', 'r1')",
                [DELIVERY, row],
            )
    record_landing_results(con, "r1")
    got = dict(con.execute("select check_name, failing_sample from dq.check_results where failing_sample is not null"
                           ).fetchall())
    assert json.loads(got["rows_rejected"]) == ["row 3", "row 7", "row 9"]
    assert json.loads(got["rows_with_warnings"]) == ["row 5"]
    # every failure with rows has a sample
    assert con.execute("select count(*) from dq.check_results where status <> 'pass' and failing_rows > 0 "
                       "and failing_sample is null").fetchone()[0] == 0


def _run_results(tmp_path, tests):
    results = [{"unique_id": uid, "status": "fail", "failures": 1, "message": "Got 1 result",
                "compiled_code": sql} for uid, sql in tests]
    nodes = {uid: {"name": uid.split(".")[2], "column_name": col, "test_metadata": {"name": kind},
                   "attached_node": "model.fhub.stg_contacts"} for (uid, _), (col, kind) in
             zip(tests, [("person_key", "not_null"), ("person_key", "unique"), ("service_code", "accepted_values")],
                 strict=True)}
    nodes["model.fhub.stg_contacts"] = {"name": "stg_contacts"}
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))


def test_failing_dbt_tests_are_sampled_by_lineage_row_or_key_and_never_by_value(tmp_path):
    con = duckdb.connect()
    ensure_dq_schema(con)
    con.execute("create table stg_contacts as select * from (values "
                "(?, 12, null, 'Jane Smith', '943 476 5919'), (?, 4, ?, 'Jane Smith', 'x')) "
                "t(_delivery_id, _row_number, person_key, partner_name, service_code)", [DELIVERY, DELIVERY, KEY])
    _run_results(tmp_path, [
        ("test.fhub.not_null_stg_contacts_person_key.1", "select * from stg_contacts where person_key is null"),
        ("test.fhub.unique_stg_contacts_person_key.2",
         "select person_key as unique_field, count(*) as n_records from stg_contacts where person_key is not null "
         "group by 1"),
        ("test.fhub.accepted_values_stg_contacts_service_code.3",
         "select service_code as value_field, count(*) as n_records from stg_contacts group by 1"),
    ])
    record_dbt_results(con, "r1", tmp_path)
    got = dict(con.execute("select check_name, failing_sample from dq.check_results").fetchall())
    assert json.loads(got["not_null_stg_contacts_person_key"]) == [f"delivery {DELIVERY[:8]} row 12"]
    assert json.loads(got["unique_stg_contacts_person_key"]) == [KEY[:16]]
    assert got["accepted_values_stg_contacts_service_code"] is None  # only raw values to show: no sample
    _no_raw(list(got.values()))


def test_a_key_column_holding_an_unhashed_identifier_is_never_sampled():
    assert pseudonymised_sample(["9434765919", "943 476 5919", "Jane Smith"], "person_key") == []
    assert pseudonymised_sample([KEY], "person_key") == [KEY[:16]]
    assert key_entry("1234567890123456789012345678901234567890123456789012345678901234") is None  # a long number
    rows = [{"gx_row": 3, "delivery_id": DELIVERY, "landed_minus_raw": 2}, {"person_key": "Jane Smith"},
            {"borough_code": "E09000012", "value": 99.0}]
    assert sample_of_rows(rows) == ["row 3"]
