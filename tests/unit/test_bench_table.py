"""BENCHMARKS.md rows: formatting, appending without rewriting history, and honest target verdicts."""

from __future__ import annotations

from fhub_dev.bench.machine import cpu_model, ram_gb
from fhub_dev.bench.result import BenchResult, verdicts
from fhub_dev.bench.table import COLUMNS, HEADER, TEMPLATE, append_row, format_row


def london(**overrides) -> BenchResult:
    values = dict(
        date="2026-11-22 03:00",
        commit="abc1234",
        machine="Xeon, 2 cores, 24 GB",
        scale="london",
        contacts=12_000_000,
        eyfsp_pupils=500_000,
        generate_s=120.0,
        stages={"land": 60.0, "dbt": 90.0, "validate": 20.0, "publish": 10.0, "reports": 15.0},
        overhead_s=15.0,
        full_s=210.0,
        peak_gb=3.2,
        work_db_gb=1.5,
        limit_landing_s=30.0,
        limit_models_s=90.0,
        incremental_s=18.0,
        full_refresh_s=200.0,
        load_avg=(0.5, 1.2),
    )
    values.update(overrides)
    return BenchResult(**values)


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def test_row_has_one_cell_per_column_with_figures():
    row = cells(format_row(london()))
    assert len(row) == len(COLUMNS)
    by = dict(zip(COLUMNS, row, strict=True))
    assert by["contacts"] == "12,000,000"
    assert by["dbt build s"] == "90.0"
    assert by["limit s (land+models)"] == "120.0 (30.0+90.0)"
    assert by["ratio"] == "1.75×"
    assert by["incr %"] == "9"
    assert by["machine"] == "Xeon, 2 cores, 24 GB; load 0.5→1.2"
    assert "MISSED" not in by["targets"]


def test_missed_targets_are_stated():
    slow = london(full_s=400.0, peak_gb=5.0, incremental_s=100.0)
    judged = {v.target: v.met for v in verdicts(slow)}
    assert judged == {
        "full <= 1.5x limit + 30 s": False,  # 400 > 1.5 * 120 + 30 = 210
        "full < 5 min": False,
        "peak <= 4 GB": False,
        "incremental <= 10% of full": False,  # 25 %
    }
    row = format_row(slow)
    assert row.count("MISSED") == 4


def test_unmeasured_figures_are_not_claimed_as_met():
    partial = london(limit_landing_s=None, limit_models_s=None, incremental_s=None)
    judged = {v.target: v.met for v in verdicts(partial)}
    assert judged["full <= 1.5x limit + 30 s"] is None
    assert judged["incremental <= 10% of full"] is None
    assert "not measured" in format_row(partial)
    assert verdicts(london(scale="tiny")) == []
    national = {v.target: v.met for v in verdicts(london(scale="national", full_s=800.0, peak_gb=13.0))}
    assert national == {"full < 15 min": True, "peak <= 12 GB": False}


def test_append_keeps_existing_rows_and_text(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(TEMPLATE + "\n## Notes\n\nhand-written analysis stays.\n")
    first = append_row(path, london(commit="first"))
    second = append_row(path, london(commit="second", scale="national"))
    lines = path.read_text().splitlines()
    header_at = lines.index(HEADER)
    assert lines[header_at + 2] == first
    assert lines[header_at + 3] == second
    assert lines[header_at + 4] == ""  # the table ends before the notes
    assert "hand-written analysis stays." in lines


def test_append_creates_the_file(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    row = append_row(path, london())
    text = path.read_text()
    assert text.startswith("# Benchmarks")
    assert text.rstrip().endswith(row)


def test_machine_description_from_proc_text():
    cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC   7B13 64-Core Processor\nflags\t: fpu\n"
    assert cpu_model(cpuinfo) == "AMD EPYC 7B13 64-Core Processor"
    assert round(ram_gb("MemTotal:       24600000 kB\nMemFree: 1 kB\n"), 1) == 23.5


def test_saved_result_round_trips_to_the_same_row(tmp_path):
    import json

    from fhub_dev.bench.cli import result_from_json

    original = london()
    path = tmp_path / "bench-result.json"
    path.write_text(json.dumps({"result": original.as_dict()}))
    assert format_row(result_from_json(path)) == format_row(original)
