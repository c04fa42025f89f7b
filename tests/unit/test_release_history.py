"""published_history answers "what did we publish for Camden's GLD 2024/25 in cycle 2026/27 Q2" (issue 16, 7)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from fhub.dq import ensure_dq_schema
from fhub.release.cycles import CycleCalendar, load_calendar
from fhub.release.history import COLUMNS, write_published_history

CAMDEN = "E09000007"
#: (run id, recorded at UTC, Camden GLD 2024/25 value as published that night)
NIGHTS = [
    ("20260801T010000Z-aaaaaa", dt.datetime(2026, 8, 1, 1, 0), 61.0),
    ("20260920T010000Z-bbbbbb", dt.datetime(2026, 9, 20, 1, 0), 62.5),  # last publish of 2026/27 Q2
    ("20260930T233000Z-cccccc", dt.datetime(2026, 9, 30, 23, 30), 63.0),  # 00:30 on 1 October in London: Q3
    ("20261005T010000Z-dddddd", dt.datetime(2026, 10, 5, 1, 0), 64.0),
]


@pytest.fixture
def files(tmp_path):
    work, candidate = tmp_path / "work.duckdb", tmp_path / "candidate.duckdb"
    con = duckdb.connect(str(work))
    ensure_dq_schema(con)
    for run_id, at, value in NIGHTS:
        con.execute(
            "insert into dq.indicator_snapshots (run_id, snapshot_at, metric_id, geography_level, geography_code, "
            "period, breakdown_type, breakdown_value, numerator, denominator, value, suppression_symbol, dq_status) "
            "values (?, ?, 'eyfs_gld', 'borough', ?, '2024/25', 'total', 'total', null, null, ?, null, 'published'),"
            " (?, ?, 'eyfs_gld', 'borough', ?, '2023/24', 'total', 'total', null, null, null, 'c', 'published')",
            [run_id, at, CAMDEN, value, run_id, at, CAMDEN],
        )
    con.close()
    con = duckdb.connect(str(candidate))
    con.execute(f"create table indicator_values as select '{CAMDEN}' as geography_code, 'Camden' as geography_name")
    con.close()
    return work, candidate


def test_the_last_publish_within_each_cycle_answers(files):
    work, candidate = files
    assert write_published_history(candidate, work, CycleCalendar()) == 4  # 2 figures x 2 cycles
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        answer = con.execute(
            "select value, run_id, is_current_cycle, cycle_start, cycle_end from published_history "
            "where geography_name = 'Camden' and metric_id = 'eyfs_gld' and period = '2024/25' "
            "and breakdown_type = 'total' and cycle = '2026/27 Q2'").fetchall()
        q3 = con.execute("select value, is_current_cycle from published_history where cycle = '2026/27 Q3' "
                         "and period = '2024/25'").fetchall()
        suppressed = con.execute("select value, suppression_symbol from published_history "
                                 "where period = '2023/24' and cycle = '2026/27 Q2'").fetchall()
        keys = con.execute("select count(*), count(distinct (cycle, metric_id, geography_code, period, "
                           "breakdown_type, breakdown_value)) from published_history").fetchone()
        comments = dict(con.execute("select column_name, comment from duckdb_columns() "
                                    "where table_name = 'published_history'").fetchall())
    finally:
        con.close()
    assert answer == [(62.5, NIGHTS[1][0], False, dt.date(2026, 7, 1), dt.date(2026, 9, 30))]
    assert q3 == [(64.0, True)]
    assert suppressed == [(None, "c")]  # published as suppressed, kept as suppressed
    assert keys[0] == keys[1]  # one row per figure per cycle
    assert set(comments) == set(COLUMNS) and all(comments.values())


def test_the_cycle_calendar_is_configurable(files, tmp_path):
    work, candidate = files
    config = tmp_path / "cycles.yml"
    config.write_text("cycles:\n  - {name: summer review, start: 2026-07-15, end: 2026-09-30}\n"
                      "  - {name: autumn review, start: 2026-10-01, end: 2027-01-31}\n")
    calendar = load_calendar(config)
    write_published_history(candidate, work, calendar)
    con = duckdb.connect(str(candidate), read_only=True)
    rows = con.execute("select cycle, value from published_history where period = '2024/25' order by cycle_start"
                       ).fetchall()
    con.close()
    assert rows == [("summer review", 62.5), ("autumn review", 64.0)]
    assert CycleCalendar(months_per_cycle=6).cycle_of(dt.date(2026, 12, 1)).name == "2026/27 H2"
    assert CycleCalendar(months_per_cycle=12).cycle_of(dt.date(2026, 3, 31)).name == "2025/26 FY"
    assert load_calendar(tmp_path / "absent.yml") == CycleCalendar()  # default: financial quarters
    with pytest.raises(ValueError, match="months_per_cycle"):
        CycleCalendar(months_per_cycle=5)


def test_each_figure_in_the_history_says_its_source_precision_and_whether_provisional(tmp_path):
    from fhub.dq.snapshots import record_indicator_snapshot

    published, work, candidate = (tmp_path / f"{n}.duckdb" for n in ("published", "work", "candidate"))
    con = duckdb.connect(str(published))
    con.execute(f"""create table indicator_values as select * from (values
        ('eyfs_gld', 'borough', '{CAMDEN}', 'Camden', '2024/25', 'total', 'total', 62.5, 'Borough records', 4, true),
        ('gld_dfe_published', 'borough', '{CAMDEN}', 'Camden', '2024/25', 'total', 'total', 63.0,
         'DfE EYFSP 2025', 1, false))
        as t(metric_id, geography_level, geography_code, geography_name, period, breakdown_type, breakdown_value,
             value, source, source_precision_dp, is_provisional)""")
    con.close()
    con = duckdb.connect(str(work))
    assert record_indicator_snapshot(con, NIGHTS[1][0], published) == 2
    con.close()
    con = duckdb.connect(str(candidate))
    con.execute(f"create table indicator_values as select '{CAMDEN}' as geography_code, 'Camden' as geography_name")
    con.close()
    write_published_history(candidate, work, CycleCalendar())
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        rows = con.execute("select metric_id, source, source_precision_dp, is_provisional from published_history "
                           "order by 1").fetchall()
    finally:
        con.close()
    assert rows == [("eyfs_gld", "Borough records", 4, True), ("gld_dfe_published", "DfE EYFSP 2025", 1, False)]


def test_an_area_named_per_metric_and_period_gets_that_name(files):
    """The participating boroughs' aggregate is named with how many boroughs each figure covers: a history row
    takes the name of its own metric x period, the same every run (not any one of the aggregate's names)."""
    work, candidate = files
    con = duckdb.connect(str(candidate))
    con.execute("create or replace table indicator_values as select * from (values "
                f"('eyfs_gld', '{CAMDEN}', '2024/25', 'London (3 participating boroughs)'), "
                f"('eyfs_gld', '{CAMDEN}', '2023/24', 'London (2 participating boroughs)')) "
                "as t(metric_id, geography_code, period, geography_name)")
    con.close()
    write_published_history(candidate, work, CycleCalendar())
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        names = dict(con.execute("select distinct period, geography_name from published_history").fetchall())
    finally:
        con.close()
    assert names == {"2024/25": "London (3 participating boroughs)", "2023/24": "London (2 participating boroughs)"}
