"""The DuckDB-only limit: model order from the dbt manifest, plain read_csv landing."""

from __future__ import annotations

import json

import pytest

from fhub_dev.bench.limit import LimitResult, csv_layouts, load_models, run_landing, topological


def _node(name: str, materialized: str, deps: list[str], sql: str = "select 1 as x") -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "package_name": "family_hubs",
        "original_file_path": f"models/{name}.sql",
        "relation_name": f'"warehouse"."main"."{name}"',
        "config": {"materialized": materialized},
        "compiled_code": sql,
        "depends_on": {"nodes": deps},
    }


def test_models_come_in_dependency_order_without_ephemeral_or_tests(tmp_path):
    nodes = {
        "model.p.fct": _node("fct", "incremental", ["model.p.int", "seed.p.s"]),  # stg only via ephemeral
        "model.p.int": _node("int", "ephemeral", ["model.p.stg"]),
        "model.p.stg": _node("stg", "view", []),
        "model.p.agg": _node("agg", "table", ["model.p.fct"]),
        "model.p.aaa": _node("aaa", "view", ["model.p.int"]),
        "test.p.not_null": {"resource_type": "test", "name": "not_null"},
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    models = load_models(tmp_path)
    names = [m.name for m in models]
    assert sorted(names) == ["aaa", "agg", "fct", "stg"]  # the ephemeral model is not run
    pos = {name: i for i, name in enumerate(names)}
    assert pos["stg"] < pos["aaa"] and pos["stg"] < pos["fct"] < pos["agg"]
    assert {m.name: m.kind for m in models} == {"stg": "view", "aaa": "view", "fct": "table", "agg": "table"}


def test_cycle_is_an_error():
    from fhub_dev.bench.limit import ModelSql

    a = ModelSql("model.a", "a", "a", "table", "select 1", ["model.b"])
    b = ModelSql("model.b", "b", "b", "table", "select 1", ["model.a"])
    with pytest.raises(ValueError, match="cycle"):
        topological({"model.a": a, "model.b": b})


def test_landing_limit_reads_every_csv_and_counts_xlsx(tmp_path):
    incoming = tmp_path / "incoming"
    (incoming / "hackney").mkdir(parents=True)
    (incoming / "merton").mkdir()
    (incoming / "hackney" / "contacts_2024-05.csv").write_text("id,date\n1,2024-05-01\n2,2024-05-02\n")
    (incoming / "merton" / "contacts_2024-05.csv").write_text("ref;when\nA;01/05/2024\n")
    (incoming / "merton" / "contacts_2024-06.csv").write_text("ref;when\nB;01/06/2024\nC;02/06/2024\n")
    (incoming / "merton" / "eyfsp.xlsx").write_bytes(b"PK\x03\x04")
    assert [len(g) for g in csv_layouts(sorted(incoming.rglob("*.csv")))] == [1, 2]  # one read per layout
    result = LimitResult()
    run_landing(incoming, tmp_path / "scratch", result)
    assert result.landing_files == 3
    assert result.landing_rows == 5
    assert result.xlsx_skipped == 1
    assert result.landing_s > 0
    assert not (tmp_path / "scratch" / "landing-limit.duckdb").exists()


def test_models_run_with_the_bench_run_id_recorded(tmp_path, monkeypatch):
    """The marts stamp their rows from run.run_context; the limit run invokes no dbt, so it records the run id
    ('bench-limit') in the copy it builds before running the models."""
    import duckdb

    from fhub_dev.bench import limit

    work_db = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(work_db)).close()
    stamped = limit.ModelSql(
        "model.p.stamped", "stamped", '"warehouse"."main"."stamped"', "table",
        "select case when (select run_id from run.run_context) = 'bench-limit' then 1 "
        "else error('no bench run id recorded') end as ok",
    )
    monkeypatch.setattr(limit, "compile_full_refresh", lambda *a: None)
    monkeypatch.setattr(limit, "load_models", lambda target_dir: [stamped])
    result = LimitResult()
    limit.run_models(tmp_path, work_db, tmp_path / "scratch", result)
    assert result.model_errors == {} and "stamped" in result.model_times
