"""Tonight's candidate is recorded before the swap, so dq_revisions is published the night a value changes
(issue 16, point 6). The end-to-end proof over two nights is tests/e2e/test_vintages.py."""

from __future__ import annotations

import duckdb

from fhub.dbt.contract import PublicRelation
from fhub.dq import ensure_dq_schema
from fhub.release.revisions import (
    forget_unpublished_snapshots,
    last_published_run,
    record_candidate_snapshot,
    refresh_relations,
)
from fhub.report.sample import build_sample_published
from fhub.settings import Paths


def _snapshot_runs(path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("select distinct run_id from dq.indicator_snapshots order by 1").fetchall()]
    finally:
        con.close()


def _paths(tmp_path):
    paths = Paths(project=tmp_path / "project", data=tmp_path / "data").ensure()
    con = duckdb.connect(str(paths.work_db))
    ensure_dq_schema(con)
    con.close()
    return paths


def test_candidate_snapshot_forgets_nights_that_never_published(tmp_path):
    paths = _paths(tmp_path)
    candidate = build_sample_published(tmp_path / "candidate.duckdb")
    published = build_sample_published(paths.published_db)
    assert record_candidate_snapshot(paths, "20260101T020000Z-aaaaaa", candidate) > 0
    con = duckdb.connect(str(published))
    con.execute("create or replace table run_manifest as select '20260101T020000Z-aaaaaa' as run_id")
    con.close()
    assert last_published_run(paths.published_db) == "20260101T020000Z-aaaaaa"
    record_candidate_snapshot(paths, "20260102T020000Z-bbbbbb", candidate)  # its publish is then refused
    record_candidate_snapshot(paths, "20260103T020000Z-cccccc", candidate)
    # night 2 never reached analysts: night 3 is compared with night 1, the last published file
    assert _snapshot_runs(paths.work_db) == ["20260101T020000Z-aaaaaa", "20260103T020000Z-cccccc"]


def test_without_a_published_file_only_tonight_is_kept(tmp_path):
    con = duckdb.connect()
    ensure_dq_schema(con)
    con.execute("insert into dq.indicator_snapshots (run_id, snapshot_at, metric_id, geography_code, period, "
                "breakdown_type, breakdown_value) values ('r1', now()::timestamp, 'm', 'g', 'p', 't', 't'), "
                "('r2', now()::timestamp, 'm', 'g', 'p', 't', 't')")
    assert forget_unpublished_snapshots(con, "r2", None) == 1
    assert con.execute("select distinct run_id from dq.indicator_snapshots").fetchall() == [("r2",)]


def test_refresh_copies_the_rebuilt_relations_into_the_candidate(tmp_path):
    work, candidate = tmp_path / "work.duckdb", tmp_path / "candidate.duckdb"
    con = duckdb.connect(str(work))
    con.execute("create schema marts; create table marts.fct_dq_revisions as select 'tonight' as run_id")
    con.close()
    con = duckdb.connect(str(candidate))
    con.execute("create table dq_revisions as select 'last night' as run_id")
    con.close()
    rel = PublicRelation("dq_revisions", "marts.fct_dq_revisions", model="fct_dq_revisions")
    assert refresh_relations(candidate, work, [rel]) == {"dq_revisions": 1}
    con = duckdb.connect(str(candidate), read_only=True)
    assert con.execute("select run_id from dq_revisions").fetchall() == [("tonight",)]
    con.close()


def test_a_failed_build_of_the_data_quality_marts_refuses_the_publish(tmp_path, monkeypatch):
    # the data-quality marts are part of the publish: built over tonight's candidate, a failure refuses it
    import pytest

    from fhub.dbt import builds
    from fhub.dbt.runner import DbtOutcome
    from fhub.release.revisions import CandidateRefused, data_quality_over_candidate

    paths = _paths(tmp_path)
    candidate = build_sample_published(tmp_path / "candidate.duckdb")
    monkeypatch.setattr(builds, "build_dq_marts", lambda *a, **k: DbtOutcome(command="build", success=False,
                                                                          counts={"error": 1}))
    with pytest.raises(CandidateRefused, match=r"data-quality marts failed: dbt build: FAILED \(error=1\)"):
        data_quality_over_candidate(paths, "r2", [])(candidate)


def test_a_refreshed_relation_keeps_its_description_as_the_assembled_one_does(tmp_path):
    # refresh and assembly copy a relation the same way (fhub.publish.copy_relation): rows and table comment
    work, candidate = tmp_path / "work.duckdb", tmp_path / "candidate.duckdb"
    con = duckdb.connect(str(work))
    con.execute("create schema marts; create table marts.fct_dq_revisions as select 'tonight' as run_id")
    con.close()
    duckdb.connect(str(candidate)).close()
    rel = PublicRelation("dq_revisions", "marts.fct_dq_revisions", description="One row per revised figure's",
                         model="fct_dq_revisions")
    assert refresh_relations(candidate, work, [rel]) == {"dq_revisions": 1}
    con = duckdb.connect(str(candidate), read_only=True)
    comment = con.execute("select comment from duckdb_tables() where table_name = 'dq_revisions'").fetchone()[0]
    con.close()
    assert comment == "One row per revised figures"
