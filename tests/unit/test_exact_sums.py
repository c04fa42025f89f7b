"""Published means are the same in every run (issue 16): swemwbs_mean_change once differed by 0.0001 between two
runs of the same code, because a sum of doubles depends on the order DuckDB adds them in (threads, row groups)
and the mean landed on a rounding tie.

The model's own compiled SQL (int_assessment_indicators_counted) runs here on 800,000 parents whose mean change
is exactly the tie 0.52015, with the rows in different orders and with 1, 2 and 4 threads: the summed change must
be exactly 416,120.00 every time (a double sum of these changes is not even order-independent in Python)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import duckdb
import pytest

from fhub.dbt.runner import release_duckdb_handles, run_dbt
from fhub.settings import Paths

PROJECT = Path(__file__).resolve().parents[2]
MODEL = "int_assessment_indicators_counted"
#: 796,000 parents from raw 16 to 17 (16.36 -> 16.88, +0.52) and 4,000 from 17 to 18 (16.88 -> 17.43, +0.55):
#: mean (796,000 × 0.52 + 4,000 × 0.55) / 800,000 = 416,120 / 800,000 = 0.52015, a tie at 4 dp.
PARENTS, SMALL_STEP, BIG_STEP = 800_000, 796_000, 4_000


@pytest.fixture(scope="module")
def compiled_sql(tmp_path_factory) -> str:
    paths = Paths(project=PROJECT, data=tmp_path_factory.mktemp("dbt-compile"))
    outcome = run_dbt(paths, "compile", args=["--select", MODEL])
    release_duckdb_handles()
    assert outcome.success, outcome.failures
    compiled = next(paths.dbt_target.glob(f"compiled/**/{MODEL}.sql"))
    return compiled.read_text(encoding="utf-8")


def _warehouse(path: Path, seed: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))  # catalog "warehouse", as the compiled model names it
    con.execute("create schema if not exists marts; create schema if not exists seeds")
    with (PROJECT / "seeds/framework/swemwbs_conversion.csv").open(encoding="utf-8") as fh:
        conversion = [(int(r["raw_total"]), float(r["metric_score"])) for r in csv.DictReader(fh)]
    con.execute("create or replace table seeds.swemwbs_conversion (raw_total integer, metric_score double)")
    con.executemany("insert into seeds.swemwbs_conversion values (?, ?)", conversion)
    con.execute(
        "create or replace table seeds.asq3_cutoffs (questionnaire_months integer, age_months_from integer, "
        "age_months_to integer, communication double, gross_motor double, fine_motor double, "
        "problem_solving double, personal_social double)"
    )
    # every parent: a baseline and a later review, rows in an order that depends on the seed
    con.execute(
        f"""
        create or replace table marts.fct_assessments as
        with parents as (
            select i, case when i < {SMALL_STEP} then 16 else 17 end as baseline_raw from range({PARENTS}) t(i)
        ),
        rows as (
            select 'b' || i as assessment_key, 'E09000012' as borough_code, 'HAC-01' as hub_id,
                   'p' || i as person_key, 'swemwbs' as tool, 'baseline' as stage,
                   date '2024-10-01' as assessment_date, null::integer as age_months,
                   null::integer as asq_communication, null::integer as asq_gross_motor,
                   null::integer as asq_fine_motor, null::integer as asq_problem_solving,
                   null::integer as asq_personal_social, baseline_raw as swemwbs_raw_total,
                   '2024/25' as academic_year
            from parents
            union all
            select 'r' || i, 'E09000012', 'HAC-01', 'p' || i, 'swemwbs', 'review', date '2025-03-01', null, null,
                   null, null, null, null, baseline_raw + 1, '2024/25'
            from parents
        )
        select * from rows order by hash(assessment_key, {seed})
        """
    )
    return con


def test_swemwbs_mean_change_is_summed_exactly_whatever_the_order_and_threads(compiled_sql, tmp_path):
    results = set()
    for seed, threads in ((1, 1), (2, 2), (3, 4), (4, 4)):
        con = _warehouse(tmp_path / "warehouse.duckdb", seed)
        con.execute(f"set threads = {threads}")
        row = con.execute(
            f"select numerator, denominator, round(numerator / denominator, 4) from ({compiled_sql}) m "  # noqa: S608
            "where metric_id = 'swemwbs_mean_change' and geography_level = 'borough'"
        ).fetchone()
        con.close()
        results.add(row)
    assert len(results) == 1, results
    numerator, denominator, _mean = results.pop()
    assert (numerator, denominator) == (416_120.0, 800_000.0)


def test_a_double_sum_of_these_changes_depends_on_the_order():
    scores = {16: 16.36, 17: 16.88, 18: 17.43}
    changes = [scores[17] - scores[16]] * SMALL_STEP + [scores[18] - scores[17]] * BIG_STEP
    sums = set()
    for seed in range(5):
        random.Random(seed).shuffle(changes)
        sums.add(sum(changes))
    assert len(sums) > 1 or sums != {416_120.0}  # the bug the exact sums remove
