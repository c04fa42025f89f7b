"""Incremental models whose definition changed are rebuilt from scratch (fhub/dbt/rebuild.py)."""

from __future__ import annotations

from pathlib import Path

from fhub.dbt.rebuild import definition_fingerprints, incremental_models, models_to_rebuild, record_built
from fhub.settings import Paths

INCREMENTAL = "{{ config(materialized='incremental', unique_key='k') }}\nselect 1 as k\n"


def project(tmp: Path) -> Paths:
    root = tmp / "project"
    (root / "models" / "marts").mkdir(parents=True)
    (root / "macros").mkdir()
    (root / "models" / "marts" / "fct_a.sql").write_text(INCREMENTAL)
    (root / "models" / "marts" / "fct_a.yml").write_text("models:\n  - name: fct_a\n")
    (root / "models" / "marts" / "fct_b.sql").write_text(INCREMENTAL.replace("1 as k", "2 as k"))
    (root / "models" / "marts" / "dim_c.sql").write_text("select 1 as c\n")  # a table: never listed
    (root / "macros" / "keys.sql").write_text("{% macro k() %}1{% endmacro %}\n")
    return Paths(project=root, data=tmp / "data")


def test_only_incremental_models_are_considered(tmp_path: Path) -> None:
    paths = project(tmp_path)
    assert sorted(incremental_models(paths.project)) == ["fct_a", "fct_b"]


def test_a_warehouse_without_a_record_rebuilds_every_incremental_model(tmp_path: Path) -> None:
    paths = project(tmp_path)
    assert models_to_rebuild(paths) == ["fct_a", "fct_b"]


def test_recorded_definitions_rebuild_nothing_until_one_changes(tmp_path: Path) -> None:
    paths = project(tmp_path)
    record_built(paths, definition_fingerprints(paths.project))
    assert models_to_rebuild(paths) == []

    sql = paths.project / "models" / "marts" / "fct_b.sql"
    sql.write_text(sql.read_text() + "-- a new rule\n")
    assert models_to_rebuild(paths) == ["fct_b"]

    record_built(paths, definition_fingerprints(paths.project))
    (paths.project / "models" / "marts" / "fct_a.yml").write_text("models:\n  - name: fct_a\n    columns: []\n")
    assert models_to_rebuild(paths) == ["fct_a"], "a YAML change (columns, contract) counts"

    record_built(paths, definition_fingerprints(paths.project))
    (paths.project / "macros" / "keys.sql").write_text("{% macro k() %}2{% endmacro %}\n")
    assert models_to_rebuild(paths) == ["fct_a", "fct_b"], "a macro may be used by any model"


def test_an_unreadable_record_counts_as_none(tmp_path: Path) -> None:
    paths = project(tmp_path)
    record_built(paths, definition_fingerprints(paths.project))
    (paths.work_dir / "incremental_models.json").write_text("{not json")
    assert models_to_rebuild(paths) == ["fct_a", "fct_b"]
