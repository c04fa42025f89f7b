"""Withholding after issue 16: the participating boroughs' aggregate (its own geography, LONDON_PARTICIPATING)
goes with a withheld borough, DfE's London does not, and a peer benchmark pooled from a withheld borough's
records is blanked in peer_comparisons."""

from __future__ import annotations

import duckdb
import pytest

from fhub.dq import PublishDecision, WithheldScope, apply_withholdings

HACKNEY, MERTON, CAMDEN = "E09000012", "E09000024", "E09000007"
PARTICIPATING = "LONDON_PARTICIPATING"


@pytest.fixture
def public():
    con = duckdb.connect()
    con.execute(
        "create table indicator_values (metric_id varchar, geography_level varchar, geography_code varchar, "
        "geography_name varchar, period varchar, breakdown_type varchar, breakdown_value varchar, value double, "
        "numerator double, denominator double, lower_95 double, upper_95 double, london_value double, "
        "london_benchmark varchar, compared_to_london varchar, compared_to_neighbours varchar, "
        "suppression_symbol varchar, dq_status varchar, dq_reason varchar)"
    )
    rows = [
        ("eyfs_gld", "borough", HACKNEY, "2025/26", 68.0, 69.9, "London (2 participating boroughs): Borough records"),
        ("eyfs_gld", "borough", MERTON, "2025/26", 71.0, 69.9, "London (2 participating boroughs): Borough records"),
        ("eyfs_gld", "participating_boroughs", PARTICIPATING, "2025/26", 69.9, None, None),
        ("eyfs_gld", "borough", MERTON, "2024/25", 70.0, 70.7, "London: DfE LAIT"),
        ("eyfs_gld", "borough", HACKNEY, "2024/25", 68.0, 70.7, "London: DfE LAIT"),
        ("eyfs_gld", "participating_boroughs", PARTICIPATING, "2024/25", 69.0, None, None),
        ("gld_dfe_published", "region", "E12000007", "2025/26", 70.7, None, None),
    ]
    for metric, level, code, period, value, london, benchmark in rows:
        con.execute(
            "insert into indicator_values values (?, ?, ?, null, ?, 'total', 'total', ?, 1, 2, 0, 100, ?, ?, "
            "'similar', 'similar', null, 'published', null)",
            [metric, level, code, period, value, london, benchmark],
        )
    con.execute(
        "create table framework_metrics as select * from (values ('eyfs_gld', 'fct_eyfsp_results'), "
        "('gld_dfe_published', 'int_gld_published')) t(metric_id, source_extract)"
    )
    con.execute("create table hubs (hub_id varchar, borough_code varchar)")
    con.execute(
        f"create table boroughs as select * from (values ('{HACKNEY}', 'Hackney'), ('{MERTON}', 'Merton')) "
        "t(borough_code, borough_name)"
    )
    con.execute(
        "create table gld_target_tracker (geography_code varchar, academic_year varchar, series varchar, "
        "gld_value double, projected_value double, verdict varchar, dq_status varchar, dq_reason varchar)"
    )
    con.execute(
        f"insert into gld_target_tracker values ('{PARTICIPATING}', '2025/26', 'borough_records', 69.9, 71, "
        "'uncertain', 'published', null), ('E12000007', '2025/26', 'published', 70.7, 73, 'uncertain', "
        f"'published', null), ('{MERTON}', '2025/26', 'borough_records', 71.0, 72, 'uncertain', 'published', null)"
    )
    con.execute(
        "create table peer_comparisons (borough_code varchar, metric_id varchar, period varchar, "
        "peer_group_id varchar, value_series varchar, value double, lower_95 double, upper_95 double, "
        "benchmark_value double, benchmark_members varchar, compared_to_benchmark varchar, "
        "suppression_symbol varchar, dq_status varchar, dq_reason varchar)"
    )
    con.execute(
        f"insert into peer_comparisons values "
        f"('{MERTON}', 'eyfs_gld', '2025/26', 'participating_boroughs', 'borough_records', 71, 68, 74, 69.9, "
        f"'{HACKNEY} {MERTON}', 'similar', null, 'published', null), "
        f"('{MERTON}', 'eyfs_gld', '2024/25', 'statistical_neighbours', 'borough_records', 70, 68, 72, 69.4, "
        "null, 'similar', null, 'published', null), "
        f"('{HACKNEY}', 'gld_dfe_published', '2025/26', 'statistical_neighbours', 'published', 68, 66, 70, 69.4, "
        "null, 'similar', null, 'published', null)"
    )
    yield con
    con.close()


def _scope():
    return PublishDecision(
        block_all=False, withheld_scopes=[WithheldScope(HACKNEY, "eyfsp", "2025/26", ("extract incomplete",))]
    )


def test_participating_aggregate_goes_with_the_borough_but_dfe_london_stays(public, withholding_plan):
    apply_withholdings(public, _scope(), withholding_plan)
    rows = {
        (r[0], r[1], r[2]): r[3:]
        for r in public.execute(
            "select metric_id, geography_code, period, value, dq_status, dq_reason, london_value, london_benchmark "
            "from indicator_values"
        ).fetchall()
    }
    assert rows[("eyfs_gld", HACKNEY, "2025/26")][:2] == (None, "withheld")
    aggregate = rows[("eyfs_gld", PARTICIPATING, "2025/26")]
    # the aggregate is the participating boroughs', not London's: its reason says so (issue 16)
    assert aggregate[:2] == (None, "withheld")
    assert aggregate[2].startswith("The participating boroughs' total includes Hackney eyfsp")
    # Merton's comparison with the withheld aggregate is blanked, with a reason; its DfE London one is not
    merton = rows[("eyfs_gld", MERTON, "2025/26")]
    assert merton[1] == "published" and merton[0] == 71.0
    assert merton[3] is None and merton[4] is None and merton[2].startswith("London comparison withheld")
    assert rows[("eyfs_gld", MERTON, "2024/25")][3:] == (70.7, "London: DfE LAIT")
    assert rows[("gld_dfe_published", "E12000007", "2025/26")][:2] == (70.7, "published")
    # every row that is not published says why
    assert public.execute(
        "select count(*) from indicator_values where dq_status <> 'published' and dq_reason is null"
    ).fetchone()[0] == 0


def test_a_whole_borough_scope_leaves_dfe_published_figures(public, withholding_plan):
    """A scope with no extract (the whole borough x period) withholds the borough's records and the
    participating boroughs' aggregate, never DfE's published figures (they depend on no delivery)."""
    decision = PublishDecision(
        block_all=False, withheld_scopes=[WithheldScope(HACKNEY, None, "2025/26", ("privacy finding",))]
    )
    apply_withholdings(public, decision, withholding_plan)
    rows = dict(((r[0], r[1]), r[2:]) for r in public.execute(
        "select metric_id, geography_code, value, dq_status from indicator_values where period = '2025/26'"
    ).fetchall())
    assert rows[("eyfs_gld", HACKNEY)] == (None, "withheld")
    assert rows[("eyfs_gld", PARTICIPATING)] == (None, "withheld")
    assert rows[("gld_dfe_published", "E12000007")] == (70.7, "published")


def test_tracker_aggregate_withheld_dfe_series_kept(public, withholding_plan):
    apply_withholdings(public, _scope(), withholding_plan)
    rows = {
        r[0]: r[1:]
        for r in public.execute(
            "select geography_code, gld_value, projected_value, dq_status from gld_target_tracker"
        ).fetchall()
    }
    assert rows[PARTICIPATING] == (None, None, "withheld")
    assert rows["E12000007"] == (70.7, 73.0, "published")
    assert rows[MERTON] == (71.0, 72.0, "published")
    # every row that is not published says why, in every relation the scope touched
    for relation in ("gld_target_tracker", "peer_comparisons"):
        assert public.execute(
            f"select count(*) from {relation} where dq_status <> 'published' and dq_reason is null"  # noqa: S608
        ).fetchone()[0] == 0, relation
    assert public.execute(
        f"select dq_reason from gld_target_tracker where geography_code = '{PARTICIPATING}'"  # noqa: S608
    ).fetchone()[0]


def test_peer_benchmark_pooled_from_a_withheld_borough_is_blanked(public, withholding_plan):
    apply_withholdings(public, _scope(), withholding_plan)
    rows = {
        (r[0], r[1], r[2]): r[3:]
        for r in public.execute(
            "select borough_code, metric_id, period, value, benchmark_value, compared_to_benchmark, dq_status, "
            "dq_reason from peer_comparisons"
        ).fetchall()
    }
    merton = rows[(MERTON, "eyfs_gld", "2025/26")]
    assert merton[0] == 71.0 and merton[1] is None and merton[2] is None
    assert merton[4].startswith("Benchmark withheld")
    assert rows[(MERTON, "eyfs_gld", "2024/25")][:3] == (70.0, 69.4, "similar")  # another year
    # DfE's own figure for Hackney is not a delivery of Hackney's: it stays
    assert rows[(HACKNEY, "gld_dfe_published", "2025/26")][:4] == (68.0, 69.4, "similar", "published")
