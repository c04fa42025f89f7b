"""Every SQL example in the README does what its title says, with its row shape asserted, on the published
file of a real nightly run (issue 16, point 9). A new README query needs an entry in SHAPES."""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb
import pytest

from tests.e2e.harness import PROJECT

pytestmark = pytest.mark.e2e


def _unique(*columns: str) -> Callable[[list[dict]], None]:
    def check(rows: list[dict]) -> None:
        keys = [tuple(r[c] for c in columns) for r in rows]
        assert len(keys) == len(set(keys)), f"more than one row per {columns}"
    return check


def _one(column: str) -> Callable[[list[dict]], None]:
    def check(rows: list[dict]) -> None:
        assert len({r[column] for r in rows}) == 1, f"{column} is not a single value: {sorted({r[column] for r in rows})}"
    return check


def _all(column: str, allowed: set) -> Callable[[list[dict]], None]:
    def check(rows: list[dict]) -> None:
        assert {r[column] for r in rows} <= allowed, sorted({r[column] for r in rows} - allowed)
    return check


def _sorted_by(column: str) -> Callable[[list[dict]], None]:
    def check(rows: list[dict]) -> None:
        values = [r[column] for r in rows]
        assert values == sorted(values)
    return check


#: the heading (or sentence) above each query -> its columns and what its rows must satisfy
SHAPES: dict[str, tuple[list[str], list[Callable[[list[dict]], None]]]] = {
    "GLD (Good Level of Development) by borough for the latest academic year": (
        ["geography_name", "period", "numerator", "denominator", "value", "lower_95", "upper_95",
         "compared_to_london"], [_one("period"), _unique("geography_name")]),
    "The London boroughs and their codes": (
        ["borough_code", "dfe_la_code", "borough_name", "inner_outer"],
        [_unique("borough_code"), lambda rows: len(rows) == 33 or pytest.fail("not 33 boroughs")]),
    "Every metric in one borough's latest period": (
        ["domain", "layer", "metric_id", "metric_name", "period", "value", "suppression_symbol", "dq_status"],
        [_one("period"), _unique("metric_id")]),
    "What did we publish for a figure in a past performance cycle": (
        ["cycle", "cycle_start", "cycle_end", "value", "suppression_symbol", "dq_status", "run_id", "published_at"],
        [_unique("cycle"), _sorted_by("cycle_start")]),
    "Which boroughs are off track for 75% GLD by 2027/28": (
        ["geography_name", "latest_year", "series", "projection_basis", "gld_value", "source", "target_value",
         "gap_to_target_pp", "required_annual_change_pp", "trend_slope_pp_per_year", "projected_value",
         "projection_lower_95", "projection_upper_95", "verdict", "verdict_reason"],
        [_all("verdict", {"off-track"}), _unique("geography_name", "series")]),
    "How does each borough compare with its statistical neighbours and its peer groups": (
        ["borough_name", "peer_group_name", "period", "value", "benchmark_value", "benchmark_is_mean",
         "compared_to_benchmark", "benchmark_source"],
        [_one("period"), _unique("borough_name", "peer_group_name"), _sorted_by("borough_name")]),
    "What is the FSM gap in GLD by borough, and how has it moved": (
        ["geography_name", "academic_year", "series", "gld_value", "fsm_gap_pp", "fsm_gap_source",
         "fsm_gap_is_mixed_precision"],
        [_unique("geography_name", "academic_year", "series")]),
    "The latest year against London and England, from the indicator values": (
        ["geography_name", "period", "fsm_gap_pp", "london_value", "england_value", "compared_to_england",
         "suppression_symbol"], [_one("period"), _unique("geography_name")]),
    "How much of the framework can each borough report, by domain and layer": (
        ["borough_name", "domain", "layer", "metrics", "available", "coverage_pct", "accessible", "missing"],
        [_unique("borough_name", "domain", "layer")]),
    "Across London, by domain": (["domain", "coverage_pct"], [_unique("domain"), _sorted_by("coverage_pct")]),
    "significantly lower ones first": (
        ["borough_name", "hub_name", "period", "hub_pct", "lower_95", "upper_95", "borough_pct", "children_reached",
         "comparison"], [_all("comparison", {"significantly below", "significantly above", "similar"})]),
    "An association, not an effect": (
        ["borough_name", "academic_year", "idaci_quintile", "hub_status", "children", "gld_pct", "lower_95",
         "upper_95", "not_known_gld_pct", "difference_vs_not_known_pp", "compared_to_not_known",
         "suppression_symbol"], [_unique("borough_name", "academic_year", "idaci_quintile", "hub_status")]),
    "the EYFSP trends shown are the pre-reform ones": (
        ["metric_name", "geography_name", "breakdown_type", "breakdown_value", "trend_to", "value", "trend"],
        [_unique("metric_name", "geography_name", "breakdown_type", "breakdown_value"),
         lambda rows: [r for r in rows if r["trend"] == "no significant change"] == [] or pytest.fail("stable")]),
    "Summer-born children: GLD by term of birth, borough against London": (
        ["geography_name", "period", "term_of_birth", "value", "lower_95", "upper_95", "london_value",
         "london_benchmark", "compared_to_london", "suppression_symbol"], [_unique("geography_name", "period", "term_of_birth")]),
    "What would it take to compute the declared metrics": (
        ["domain", "layer", "metric_name", "data_needed", "boroughs_holding_it"],
        [_unique("domain", "layer", "metric_name")]),
    "have no results)": (
        ["geography_name", "gld_2012_13", "gld_2018_19", "change_pre_reform_pp", "gld_2021_22", "latest_year",
         "gld_latest", "change_since_reform_pp", "london_latest", "england_latest"], [_unique("geography_name")]),
    "Year by year for one borough": (
        ["period", "gld_pct", "lower_95", "upper_95", "london_value", "england_value", "compared_to_london",
         "compared_to_england", "trend", "series"], [_unique("period"), _sorted_by("period")]),
    "The published FSM gap in GLD: which boroughs have the widest gap": (
        ["geography_name", "period", "fsm_gap_pp", "london_value", "england_value"],
        [_one("period"), _unique("geography_name")]),
}


def readme_queries() -> list[tuple[str, str]]:
    """(the text between the previous code block and this one, its last 4 lines; sql) for every ```sql block."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    out = []
    for match in re.finditer(r"```sql\n(.*?)```", readme, flags=re.S):
        previous_fence = readme.rfind("```", 0, match.start())  # the end of the code block before this one
        lines = [line for line in readme[previous_fence + 3: match.start()].splitlines() if line.strip()]
        out.append((" ".join(lines[-4:]), match.group(1)))
    return out


def _shape_for(above: str):
    found = [key for key in SHAPES if key in above]
    assert len(found) == 1, f"no (or more than one) row shape declared for the README query under: {above[:80]}"
    return SHAPES[found[0]]


def test_every_readme_query_has_a_declared_row_shape():
    queries = readme_queries()
    assert len(queries) == len(SHAPES)
    for above, _sql in queries:
        _shape_for(above)


def test_readme_queries_return_what_their_titles_say(baseline):
    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        for above, sql in readme_queries():
            columns, checks = _shape_for(above)
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            assert names == columns, f"{above[:60]}: columns {names}"
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            if "can return no rows" not in sql:
                assert rows, f"README query returned no rows: {above[:60]}"
            for check in checks:
                check(rows)
    finally:
        con.close()
