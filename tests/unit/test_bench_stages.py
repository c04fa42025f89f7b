"""Stage timings from the nightly flow's log lines, and per-node dbt times."""

from __future__ import annotations

import pytest

from fhub_dev.bench.dbtlog import node_times, totals_by_kind
from fhub_dev.bench.stages import parse_stage_times

FLOW_LOG = [
    (
        4.0,
        "02:44:53.220 | INFO    | Flow run 'orange-skunk' - Beginning flow run 'orange-skunk' for flow 'nightly'",
    ),
    (
        5.0,
        "02:44:55.095 | INFO    | Flow run 'portable-chowchow' - Beginning subflow run 'portable-chowchow' for flow 'land'",
    ),
    (
        20.0,
        "02:47:12.139 | INFO    | Task run 'land-borough-extracts-95f' - land: hackney_contacts_2024-05.csv landed",
    ),
    (30.0, "02:47:12.139 | INFO    | Task run 'land-borough-extracts-95f' - Finished in state Completed()"),
    (34.0, "02:48:43.396 | INFO    | Task run 'land-reference-files-abf' - Finished in state Completed()"),
    (35.0, "02:48:44.038 | INFO    | Flow run 'portable-chowchow' - Finished in state Completed()"),
    (60.0, "02:50:42.684 | INFO    | Task run 'dbt-build-1e8' - Finished in state Completed()"),
    (70.0, "02:51:06.909 | INFO    | Task run 'gx-checkpoint-18f' - Finished in state Completed()"),
    (71.0, "02:51:08.024 | INFO    | Task run 'record-data-quality-605' - Finished in state Completed()"),
    # not a task of any stage; its name starts with "dbt-build-" but it is not the dbt stage
    (72.0, "02:51:08.900 | INFO    | Task run 'dbt-build-extra-c3d' - Finished in state Completed()"),
    (80.5, "02:51:09.000 | INFO    | Task run 'publish-public-file-0a1' - Finished in state Completed()"),
    (90.0, "02:51:19.000 | INFO    | Task run 'dbt-docs-77c' - Finished in state Completed()"),
    (95.0, "02:51:24.000 | INFO    | Task run 'performance-report-2b2' - Finished in state Completed()"),
    (96.0, "02:51:25.000 | INFO    | Flow run 'orange-skunk' - Finished in state Completed()"),
    (97.0, "02:51:26.076 | INFO    | prefect - Stopping temporary server on http://127.0.0.1:8559"),
]


def test_stages_run_from_previous_boundary_to_last_task_of_the_stage():
    times = parse_stage_times(FLOW_LOG)
    assert times.flow_start == 4.0
    assert times.flow_end == 96.0  # the nightly flow's own finish line, not a subflow's
    assert times.stages == pytest.approx(
        {"land": 30.0, "dbt": 26.0, "validate": 11.0, "publish": 9.5, "reports": 14.5}
    )
    assert times.failed_tasks == []


def test_skipped_stage_is_none_and_failed_task_is_reported():
    lines = [line for line in FLOW_LOG if "dbt-docs" not in line[1] and "performance-report" not in line[1]]
    lines = [
        (
            t,
            text.replace(
                "record-data-quality-605' - Finished in state Completed()",
                'record-data-quality-605\' - Finished in state Failed("boom")',
            ),
        )
        for t, text in lines
    ]
    times = parse_stage_times(lines)
    assert times.stages["reports"] is None
    assert times.stages["publish"] == pytest.approx(9.5)
    assert times.failed_tasks == ["record-data-quality-605"]


def test_no_flow_start_means_no_stage_times():
    times = parse_stage_times([(1.0, "Traceback (most recent call last):")])
    assert times.stages == {}
    assert times.flow_seconds is None


DBT_LOG = [
    "02:49:38.684 | INFO    | Task run 'dbt-build-1e8' - dbt: 1 of 512 START sql table model marts.dim_periods ....... [RUN]",
    "02:49:39.274 | INFO    | Task run 'dbt-build-1e8' - dbt: 2 of 512 OK created sql view model staging.stg_x ........ [OK in 0.57s]",
    "02:49:39.545 | INFO    | Task run 'dbt-build-1e8' - dbt: 1 of 512 OK created sql incremental model marts.fct_hub_contacts .. [OK in 12.50s]",
    "02:49:40.575 | INFO    | Task run 'dbt-build-1e8' - dbt: 11 of 512 ERROR creating sql view model staging.stg_dq ... [ERROR in 0.11s]",
    "02:50:15.215 | INFO    | Task run 'dbt-build-1e8' - dbt: 326 of 512 PASS not_null_fct_hub_contacts_borough_code ... [PASS in 0.15s]",
    "02:50:15.216 | INFO    | Task run 'dbt-build-1e8' - dbt: 327 of 512 WARN 3 assert_gias_la_codes_agree ... [WARN 3 in 0.40s]",
    "02:50:15.300 | INFO    | Task run 'dbt-build-1e8' - dbt: 328 of 512 PASS int_eyfsp_results_scored::eyfsp_gld_rules ... [PASS in 3.35s]",
    "02:50:15.400 | INFO    | Task run 'dbt-build-1e8' - dbt: 9 of 512 OK loaded seed file reference.family_hubs ..... [INSERT 240 in 0.50s]",
    "02:50:42.643 | INFO    | Task run 'dbt-build-1e8' - dbt: dbt build: FAILED (error=3, pass=433)",
]


def test_dbt_node_times_by_kind():
    nodes = node_times(DBT_LOG)
    by_name = {n.name: n for n in nodes}
    assert set(by_name) == {
        "stg_x",
        "fct_hub_contacts",
        "stg_dq",
        "not_null_fct_hub_contacts_borough_code",
        "assert_gias_la_codes_agree",
        "int_eyfsp_results_scored::eyfsp_gld_rules",
        "family_hubs",
    }
    assert by_name["fct_hub_contacts"].kind == "model"
    assert by_name["fct_hub_contacts"].seconds == pytest.approx(12.5)
    assert by_name["stg_dq"].status == "ERROR"
    assert by_name["assert_gias_la_codes_agree"].kind == "test"
    assert by_name["int_eyfsp_results_scored::eyfsp_gld_rules"].kind == "unit_test"
    assert by_name["family_hubs"].kind == "seed"
    assert totals_by_kind(nodes) == pytest.approx(
        {"model": 13.18, "test": 0.55, "unit_test": 3.35, "seed": 0.5}
    )


def test_the_memory_peak_is_attributed_to_the_stage_running_at_that_moment():
    from fhub_dev.bench.stages import stage_at

    times = parse_stage_times(FLOW_LOG)  # flow 4 s → land until 34 → dbt until 60 → validate until 71 ...
    assert stage_at(times, 2.0) == "overhead"
    assert stage_at(times, 20.0) == "land"
    assert stage_at(times, 45.0) == "dbt"
    assert stage_at(times, 70.5) == "validate"
    assert stage_at(times, 99.0) == "overhead"
    assert stage_at(times, None) is None


def test_every_task_of_the_nightly_belongs_to_one_stage():
    """STAGE_TASKS names exactly the tasks the flows define: a renamed or new task would otherwise be charged
    silently to the following stage, and a stale name would never match."""
    import re
    from pathlib import Path

    from fhub_dev.bench.stages import STAGE_TASKS

    flows = Path(__file__).resolve().parents[2] / "flows"
    defined = {m for f in flows.glob("*.py") for m in re.findall(r'@task\(name="([^"]+)"', f.read_text())}
    listed = [t for tasks in STAGE_TASKS.values() for t in tasks]
    assert len(listed) == len(set(listed))
    assert set(listed) == defined
