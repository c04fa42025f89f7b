"""Write → audit → publish mechanics on small DuckDB files (no Prefect, no dbt)."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from fhub.publish import (
    PublicRelation,
    PublishRefused,
    assemble_public_file,
    audit_public_file,
    publish,
    release_exports,
    swap_into_place,
    write_exports,
)
from fhub.settings import Paths


@pytest.fixture
def paths(tmp_path):
    p = Paths(project=tmp_path / "project", data=tmp_path / "data").ensure()
    con = duckdb.connect(str(p.work_db))
    con.execute("create schema marts; create schema raw")
    con.execute(
        "create table marts.indicator_values as select * from (values "
        "('gld', 'E09000012', 61.5, '=HYPERLINK(\"x\")'), ('gld', 'E09000024', 70.1, 'ok')) "
        "t(metric_id, geography_code, value, note)"
    )
    con.execute("create table marts.dim_boroughs as select 'E09000012' as borough_code")
    con.execute("create table raw.hub_contacts as select 'secret-row' as person_key")
    con.close()
    return p


RELATIONS = (
    PublicRelation("indicator_values", "marts.indicator_values", True),
    PublicRelation("boroughs", "marts.dim_boroughs", True),
    PublicRelation("hubs", "marts.dim_hubs", False),
)


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_public_file_holds_only_public_relations(paths):
    result = assemble_public_file(paths, "r1", relations=RELATIONS, manifest={"run_id": "r1"})
    con = duckdb.connect(str(result.staging_file), read_only=True)
    tables = {
        r[0]
        for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    con.close()
    assert tables == {"main.indicator_values", "main.boroughs", "main.run_manifest"}
    assert result.skipped == ["hubs"]
    assert audit_public_file(result.staging_file) == []


def test_missing_required_relation_refuses(paths):
    relations = (*RELATIONS, PublicRelation("gld_target_tracker", "marts.gld_target_tracker", True))
    with pytest.raises(PublishRefused, match="gld_target_tracker"):
        assemble_public_file(paths, "r1", relations=relations)


def test_audit_finds_identifier_like_substrings(paths):
    con = duckdb.connect(str(paths.work_db))
    con.execute("insert into marts.indicator_values values ('gld', 'E09000012', 1.0, 'ring 943 476 5919 now')")
    con.close()
    result = assemble_public_file(paths, "r1", relations=RELATIONS)
    problems = audit_public_file(result.staging_file)
    assert len(problems) == 1 and "an NHS number (10 digits), shape NNN NNN NNNN" in problems[0]
    assert "5919" not in problems[0]


def test_publish_redacts_what_the_audit_finds_and_still_publishes(paths):
    con = duckdb.connect(str(paths.work_db))
    con.execute("insert into marts.indicator_values values ('gld', 'E09000025', 1.0, 'ring 943 476 5919 now')")
    con.close()
    result = publish(paths, "r2", manifest={"run_id": "r2", "note": "file 9434765919.csv"}, relations=RELATIONS)
    con = duckdb.connect(str(result.published), read_only=True)
    try:
        notes = {r[0] for r in con.execute("select note from indicator_values").fetchall()}
        audit = con.execute("select relation_column, kind, shape, action from privacy_audit").fetchall()
        manifest = con.execute("select manifest_json from run_manifest").fetchone()[0]
    finally:
        con.close()
    assert "ring [NHS number removed] now" in notes
    assert audit == [("indicator_values.note", "nhs_number", "NNN NNN NNNN", "redacted")]
    assert "9434765919" not in manifest and "9434765919" not in result.manifest.read_text()
    exported = (result.exports / "indicator_values.csv").read_text()
    assert "5919" not in exported and (result.exports / "privacy_audit.csv").exists()


def test_swap_refuses_while_a_wal_exists(paths, tmp_path):
    staging = assemble_public_file(paths, "r1", relations=RELATIONS).staging_file
    swap_into_place(staging, paths.published_db)
    before = _sha(paths.published_db)
    paths.published_db.with_name("warehouse.duckdb.wal").write_bytes(b"stale")
    with pytest.raises(PublishRefused, match="wal"):
        swap_into_place(staging, paths.published_db)
    assert _sha(paths.published_db) == before


def test_swap_keeps_previous_version_and_leaves_no_temp(paths):
    staging = assemble_public_file(paths, "r1", relations=RELATIONS).staging_file
    swap_into_place(staging, paths.published_db)
    first = _sha(paths.published_db)
    staging = assemble_public_file(paths, "r2", relations=RELATIONS, manifest={"run": 2}).staging_file
    swap_into_place(staging, paths.published_db)
    assert _sha(paths.published_db.with_name("warehouse.duckdb.prev")) == first
    assert not list(paths.published_dir.glob(".*incoming"))


def test_exports_neutralise_formulas_and_flip_current(paths):
    staging = assemble_public_file(paths, "r1", relations=RELATIONS).staging_file
    building = write_exports(staging, paths.exports, "r1", ["indicator_values"])
    assert not (paths.exports / "current").exists(), "current moves only once the file is published"
    assert not (paths.exports / "r1").exists()
    target = release_exports(paths.exports, "r1")
    assert not building.exists()
    csv = (target / "indicator_values.csv").read_text()
    assert "'=HYPERLINK" in csv
    assert (paths.exports / "current").resolve() == target.resolve()
    assert (target / "indicator_values.parquet").exists()


def test_a_refused_swap_leaves_the_exports_of_the_published_file(paths):
    """exports/current always belongs to the published file: a publish refused at the swap (here a stale WAL
    beside the published file) neither moves it nor leaves the new run's exports behind."""
    first = publish(paths, "r1", manifest={"run_id": "r1"}, relations=RELATIONS)
    paths.published_db.with_name("warehouse.duckdb.wal").write_bytes(b"stale")
    with pytest.raises(PublishRefused, match="wal"):
        publish(paths, "r2", manifest={"run_id": "r2"}, relations=RELATIONS)
    assert (paths.exports / "current").resolve() == first.exports.resolve()
    assert sorted(p.name for p in paths.exports.iterdir()) == ["current", "r1"]


def test_exports_left_building_by_a_killed_run_are_removed_by_the_next(paths):
    staging = assemble_public_file(paths, "r1", relations=RELATIONS).staging_file
    write_exports(staging, paths.exports, "killed", ["indicator_values"])  # the run died before its swap
    publish(paths, "r2", manifest={"run_id": "r2"}, relations=RELATIONS)
    assert sorted(p.name for p in paths.exports.iterdir()) == ["current", "r2"]


def test_publish_end_to_end_writes_manifest(paths):
    result = publish(paths, "r9", manifest={"run_id": "r9"}, relations=RELATIONS)
    assert result.published.exists()
    assert result.manifest.exists()
    con = duckdb.connect(str(result.published), read_only=True)
    assert con.execute("select count(*) from indicator_values").fetchone()[0] == 2
    con.close()
