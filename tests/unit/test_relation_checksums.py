"""The before/after checksum tool of a restructuring: blind to run ids, clocks, row order and float noise only."""

from __future__ import annotations

import duckdb

from tests.tools.relation_checksums import checksums, compare, diff_rows, main


def _make(path, rows, *, value_type="double", run_id="r1"):
    con = duckdb.connect(str(path))
    con.execute(
        f"create table main.indicator_values (metric_id varchar, value {value_type}, run_id varchar, "
        "loaded_at timestamp)"
    )
    con.executemany(
        "insert into main.indicator_values values (?, ?, ?, now())", [(m, v, run_id) for m, v in rows]
    )
    con.execute("create schema marts")
    con.execute("create view marts.v as select metric_id from main.indicator_values")
    con.close()
    return path


def test_same_rows_in_another_order_with_other_run_ids_and_float_noise_are_identical(tmp_path):
    before = checksums(_make(tmp_path / "a.duckdb", [("gld", 0.1 + 0.2), ("reach", 12.5)]))
    after = checksums(_make(tmp_path / "b.duckdb", [("reach", 12.5), ("gld", 0.3)], run_id="r2"))
    assert set(before) == {"main.indicator_values", "marts.v"}
    assert before["main.indicator_values"]["ignored_columns"] == ["loaded_at", "run_id"]
    assert compare(before, after) == []


def test_a_changed_value_a_changed_type_and_a_missing_relation_are_reported(tmp_path):
    before = checksums(_make(tmp_path / "a.duckdb", [("gld", 70.25), ("reach", 12.5)]))
    changed = checksums(_make(tmp_path / "b.duckdb", [("gld", 70.26), ("reach", 12.5)]))
    retyped = checksums(_make(tmp_path / "c.duckdb", [("gld", 70.25), ("reach", 12.5)], value_type="float"))
    assert compare(before, changed) == [
        f"main.indicator_values: checksum differs ({before['main.indicator_values']['checksum']!r} -> "
        f"{changed['main.indicator_values']['checksum']!r})"
    ]
    assert any("columns differ" in p for p in compare(before, retyped))
    del changed["marts.v"]
    assert "marts.v: missing after" in compare(before, changed)


def test_duplicate_rows_count(tmp_path):
    once = checksums(_make(tmp_path / "a.duckdb", [("gld", 1.0), ("reach", 2.0)]))
    twice = checksums(_make(tmp_path / "b.duckdb", [("gld", 1.0), ("gld", 1.0), ("reach", 2.0)]))
    assert compare(once, twice)


def test_diff_names_the_rows_and_the_cli_fails_on_a_difference(tmp_path, capsys):
    old = _make(tmp_path / "a.duckdb", [("gld", 70.25), ("reach", 12.5)])
    new = _make(tmp_path / "b.duckdb", [("gld", 70.5), ("reach", 12.5)])
    assert sorted(diff_rows(old, new, "main.indicator_values")) == [
        ("+", ("gld", "70.5")),
        ("-", ("gld", "70.25")),
    ]
    assert main([str(old), "--out", str(tmp_path / "old.json")]) == 0
    assert main([str(new), "--compare", str(tmp_path / "old.json")]) == 1
    assert "DIFFERS: main.indicator_values: checksum differs" in capsys.readouterr().out
