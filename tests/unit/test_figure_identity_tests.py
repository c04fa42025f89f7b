"""The outcome mart's issue-16 data tests catch what they are for (macros/stats/generic_tests.sql): each test's
own compiled SQL runs here on constructed relations, once clean (no failing rows) and once with the fault the
test exists for - a borough-records sum filed under London's code, a projection outside 0-100, a row not
published without a reason."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fhub.dbt.runner import release_duckdb_handles, run_dbt
from fhub.settings import Paths

PROJECT = Path(__file__).resolve().parents[2]
TESTS = (
    "real_area_codes_carry_only_published_figures",
    "projection_within_0_100",
    "dq_reason_when_not_published",
)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> dict[tuple[str, str], str]:
    paths = Paths(project=PROJECT, data=tmp_path_factory.mktemp("dbt-compile"))
    selector = " ".join(f"test_name:{name}" for name in TESTS)
    outcome = run_dbt(paths, "compile", args=["--select", selector])
    release_duckdb_handles()
    assert outcome.success, outcome.failures
    sql = {}
    for path in paths.dbt_target.glob("compiled/**/*.yml/*.sql"):
        # dbt names a long test's file by its first 30 characters and a hash; the folder is the model's yml
        name = next((n for n in TESTS if path.name.startswith(n[:25])), None)
        if name:
            sql[(name, path.parent.name.removesuffix(".yml"))] = path.read_text(encoding="utf-8")
    assert {name for name, _ in sql} == set(TESTS)
    return sql


def _failing_rows(compiled, tmp_path, test_name: str, model: str, rows_sql: str) -> int:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))  # catalog "warehouse", as the compiled tests name it
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.{model} as {rows_sql}")
    count = con.execute(f"select count(*) from ({compiled[(test_name, model)]}) t").fetchone()[0]  # noqa: S608
    con.close()
    return count


INDICATORS = """
select * from (values
    ('region', 'E12000007', 'DfE LAIT', 'published', null::varchar),
    ('country', 'E92000001', 'DfE EES: EYFSP results', 'published', null),
    ('participating_boroughs', 'LONDON_PARTICIPATING', 'Borough records', 'published', null),
    ('borough', 'E09000012', 'Borough records', {status}, {reason})
    {extra}
) t(geography_level, geography_code, source, dq_status, dq_reason)
"""


def test_londons_code_never_carries_the_boroughs_sum(compiled, tmp_path):
    clean = INDICATORS.format(status="'published'", reason="null", extra="")
    assert _failing_rows(compiled, tmp_path, TESTS[0], "fct_indicator_values", clean) == 0
    spliced = INDICATORS.format(
        status="'published'", reason="null", extra=", ('region', 'E12000007', 'Borough records', 'published', null)"
    )
    assert _failing_rows(compiled, tmp_path, TESTS[0], "fct_indicator_values", spliced) == 1
    relabelled = INDICATORS.format(
        status="'published'", reason="null",
        extra=", ('participating_boroughs', 'E12000007', 'DfE LAIT', 'published', null)",
    )
    assert _failing_rows(compiled, tmp_path, TESTS[0], "fct_indicator_values", relabelled) == 1


def test_a_row_not_published_says_why(compiled, tmp_path):
    reasoned = INDICATORS.format(status="'withheld'", reason="'Hackney eyfsp 2024/25: extract incomplete'", extra="")
    assert _failing_rows(compiled, tmp_path, TESTS[2], "fct_indicator_values", reasoned) == 0
    silent = INDICATORS.format(status="'withheld'", reason="null", extra="")
    assert _failing_rows(compiled, tmp_path, TESTS[2], "fct_indicator_values", silent) == 1


def test_projections_lie_in_0_100(compiled, tmp_path):
    rows = (
        "select * from (values (71.0, 65.0, 77.0), (null, null, null), {bad}) "
        "t(projected_value, projection_lower_95, projection_upper_95)"
    )
    clean = rows.format(bad="(0.0, 0.0, 100.0)")
    assert _failing_rows(compiled, tmp_path, TESTS[1], "fct_gld_target_tracker", clean) == 0
    unclamped = rows.format(bad="(94.8, 12.4, 177.2)")  # City of London before issue 16
    assert _failing_rows(compiled, tmp_path, TESTS[1], "fct_gld_target_tracker", unclamped) == 1
