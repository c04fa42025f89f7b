"""The serving benchmark's table in BENCHMARKS.md: created once, rows appended to its end, text after it kept."""

from __future__ import annotations

from fhub_dev.bench.serving import COLUMNS, MARKER, _append


def test_rows_go_to_the_end_of_the_serving_table_and_findings_below_it_stay(tmp_path):
    benchmarks = tmp_path / "BENCHMARKS.md"
    benchmarks.write_text("# Benchmarks\n\n| other | table |\n|---|---|\n| x | y |\n")
    _append(benchmarks, "| first |")
    benchmarks.write_text(benchmarks.read_text() + "\n### Findings\n\nwhere the time goes\n")
    _append(benchmarks, "| second |")
    lines = benchmarks.read_text().splitlines()
    assert lines.count(MARKER) == 1
    header = lines.index("| " + " | ".join(COLUMNS) + " |")
    assert lines[header + 2 : header + 4] == ["| first |", "| second |"]
    assert lines[-1] == "where the time goes"
    assert lines[2:5] == ["| other | table |", "|---|---|", "| x | y |"]
