"""The run manifest lists every input file: sha256, size, borough, extract, period, by label (issue 16, 7)."""

from __future__ import annotations

import hashlib
import json

import duckdb

from fhub.dbt.contract import PublicRelation
from fhub.landing.ddl import ensure_landing_schema
from fhub.publish import publish
from fhub.release.inputs import manifest_inputs
from fhub.settings import Paths

SHAS = [hashlib.sha256(bytes([i])).hexdigest() for i in range(3)]
RELATIONS = (PublicRelation("indicator_values", "marts.indicator_values", True),)


def _work(tmp_path):
    paths = Paths(project=tmp_path / "project", data=tmp_path / "data").ensure()
    con = duckdb.connect(str(paths.work_db))
    ensure_landing_schema(con)
    con.execute("create schema if not exists marts")
    con.execute("create table marts.indicator_values as select 'gld' as metric_id, 61.5 as value")
    for i, (status, extract, period) in enumerate(
        [("landed", "eyfsp", "2024/25"), ("superseded", "contacts", "2024-05"), ("landed", "contacts", "2024-05")]
    ):
        sha = SHAS[i]
        con.execute(
            "insert into landing.deliveries (delivery_id, borough_code, borough_slug, extract_type, period, "
            "source_file, sha256, size_bytes, loaded_at, run_id, status, rows_delivered, rows_landed, "
            "rows_rejected, rows_warned, delivery_label) values (?, 'E09000012', 'hackney', ?, ?, "
            "'Smith_Jane_9434765919.csv', ?, ?, now()::timestamp, 'r0', ?, 3, 3, 0, 0, ?)",
            [sha, extract, period, sha, 100 + i, status, f"hackney {extract} {period} (delivery {sha[:8]})"],
        )
    con.close()
    return paths


def test_manifest_inputs_name_every_delivery_by_label_with_its_hash(tmp_path):
    paths = _work(tmp_path)
    inputs = manifest_inputs(paths.work_db, "git-abc1234")
    assert inputs["code_version"] == "git-abc1234"
    files = inputs["borough_deliveries"]
    assert [f["sha256"] for f in files] == SHAS
    assert [f["in_use"] for f in files] == [True, False, True]
    assert inputs["borough_deliveries_in_use"] == 2
    first = files[0]
    assert (first["borough_code"], first["extract"], first["period"], first["size_bytes"]) == (
        "E09000012", "eyfsp", "2024/25", 100)
    assert first["delivery_label"] == f"hackney eyfsp 2024/25 (delivery {SHAS[0][:8]})"
    assert "Smith" not in json.dumps(inputs) and "9434765919" not in json.dumps(inputs)


def test_publish_writes_the_inputs_into_the_manifest_and_the_public_file(tmp_path):
    paths = _work(tmp_path)
    result = publish(paths, "r1", manifest={"run_id": "r1", "code_version": "git-abc1234"}, relations=RELATIONS)
    manifest = json.loads(result.manifest.read_text())
    assert {f["sha256"] for f in manifest["inputs"]["borough_deliveries"]} == set(SHAS)
    assert manifest["inputs"]["code_version"] == "git-abc1234"
    con = duckdb.connect(str(paths.published_db), read_only=True)
    stored = json.loads(con.execute("select manifest_json from run_manifest").fetchone()[0])
    con.close()
    assert len(stored["inputs"]["borough_deliveries"]) == 3
    assert "Smith" not in result.manifest.read_text()
