"""Partial publishing: a DQ failure for one borough withholds only the values that depend on it."""

from __future__ import annotations

import duckdb
import pytest

from fhub.dq import (
    PublishDecision,
    WithheldScope,
    apply_withholdings,
    ensure_dq_schema,
    record_indicator_snapshot,
)
from fhub.report.sample import build_sample_published

HACKNEY = "E09000012"
LONDON = "E12000007"
EYFSP_METRICS = {"gld", "all_elgs", "comm_lang", "psed"}


@pytest.fixture
def public(tmp_path):
    path = build_sample_published(tmp_path / "public.duckdb")
    con = duckdb.connect(str(path))
    yield con
    con.close()


def _scope(extract, period, reason="hackney failed"):
    return PublishDecision(block_all=False, withheld_scopes=[WithheldScope(HACKNEY, extract, period, (reason,))])


def test_eyfsp_failure_withholds_only_hackney_eyfsp_year_and_london(public, withholding_plan):
    before = public.execute("select count(*) from indicator_values where value is not null").fetchone()[0]
    summary = apply_withholdings(public, _scope("eyfsp", "2023/24", "birth month missing for 12 pupils"), withholding_plan)
    withheld = public.execute(
        "select metric_id, geography_level, geography_code, period, value, numerator, lower_95, dq_reason, "
        "suppression_symbol from indicator_values where dq_status = 'withheld'"
    ).fetchall()
    # Hackney borough row + 3 Hackney hubs + London, for each of the 4 EYFSP metrics, 2023/24 only
    assert len(withheld) == summary.rows_withheld == 4 * (1 + 3 + 1)
    assert {r[0] for r in withheld} == EYFSP_METRICS
    assert {r[3] for r in withheld} == {"2023/24"}
    assert {r[2] for r in withheld} == {HACKNEY, "HAC-01", "HAC-02", "HAC-03", LONDON}
    assert all(r[4] is None and r[5] is None and r[6] is None and r[8] == "x" for r in withheld)
    assert all("Hackney eyfsp 2023/24 failed data-quality checks: birth month missing" in r[7] for r in withheld)
    assert all(r[7].startswith("London total includes") for r in withheld if r[2] == LONDON)
    # the rest of London publishes: other boroughs, other years, other metrics, England
    merton = public.execute(
        "select count(*) from indicator_values where geography_code = 'E09000024' and dq_status = 'published' "
        "and value is not null"
    ).fetchone()[0]
    assert merton == public.execute(
        "select count(*) from indicator_values where geography_code = 'E09000024'"
    ).fetchone()[0]
    assert public.execute(
        "select count(*) from indicator_values where geography_code = ? and period = '2022/23' "
        "and dq_status = 'published'", [HACKNEY]
    ).fetchone()[0] == 4
    after = public.execute("select count(*) from indicator_values where value is not null").fetchone()[0]
    assert before - after == len(withheld)
    # other boroughs' comparisons with the withheld London figure are blanked, with a reason
    row = public.execute(
        "select london_value, compared_to_london, dq_reason, value from indicator_values "
        "where geography_code = 'E09000024' and metric_id = 'gld' and period = '2023/24'"
    ).fetchone()
    assert row[0] is None and row[1] is None and row[2].startswith("London comparison withheld") and row[3] is not None
    assert public.execute("select * from dq_withholdings").fetchall() == [
        (HACKNEY, "eyfsp", "2023/24", "birth month missing for 12 pupils", 20)
    ]


def test_contacts_month_failure_withholds_contact_metrics_for_the_quarter_it_touches(public, withholding_plan):
    apply_withholdings(public, _scope("contacts", "2024-05"), withholding_plan)
    withheld = set(
        public.execute(
            "select metric_id, period from indicator_values where dq_status = 'withheld' and geography_code = ?",
            [HACKNEY],
        ).fetchall()
    )
    # May 2024 is in 2024/25 Q1; reach uses register+contacts, engaged and DNA use contacts; referrals do not
    assert withheld == {("reach_under5", "2024/25 Q1"), ("engaged_3plus", "2024/25 Q1"), ("dna_rate", "2024/25 Q1")}


def test_no_scopes_adds_columns_and_changes_nothing(public, withholding_plan):
    apply_withholdings(public, PublishDecision(block_all=False), withholding_plan)
    assert public.execute("select count(*) from indicator_values where dq_status = 'withheld'").fetchone()[0] == 0
    assert public.execute("select count(*) from dq_withholdings").fetchone()[0] == 0


def test_blocked_decision_is_refused(public, withholding_plan):
    with pytest.raises(ValueError, match="blocks the whole publish"):
        apply_withholdings(public, PublishDecision(block_all=True, block_reasons=["empty"]), withholding_plan)


def test_snapshot_records_published_values_with_borough_and_source(tmp_path):
    path = build_sample_published(tmp_path / "pub.duckdb")
    work = duckdb.connect()
    ensure_dq_schema(work)
    n = record_indicator_snapshot(work, "r1", path)
    assert n == duckdb.connect(str(path), read_only=True).execute("select count(*) from indicator_values").fetchone()[0]
    row = work.execute(
        "select borough_code, source_extract, period_start from dq.indicator_snapshots "
        "where geography_code = 'HAC-02' and metric_id = 'reach_under5' and period = '2024/25 Q1'"
    ).fetchone()
    assert row[0] == HACKNEY and row[1] == "register,contacts" and str(row[2]) == "2024-04-01"
    record_indicator_snapshot(work, "r1", path)  # idempotent per run
    assert work.execute("select count(*) from dq.indicator_snapshots").fetchone()[0] == n


def test_gld_tracker_rows_from_pupil_data_are_withheld_too_but_not_national_statistics(public, withholding_plan):
    apply_withholdings(public, _scope("eyfsp", "2023/24", "birth month missing"), withholding_plan)
    rows = {
        (r[0], r[1]): r[2:]
        for r in public.execute(
            "select geography_code, academic_year, gld_value, projected_value, verdict, dq_status, dq_reason "
            "from gld_target_tracker"
        ).fetchall()
    }
    assert rows[(HACKNEY, "2023/24")][0] is None and rows[(HACKNEY, "2023/24")][3] == "withheld"
    assert rows[(LONDON, "2023/24")][0] is None and rows[(LONDON, "2023/24")][4].startswith("London total includes")
    assert rows[(HACKNEY, "2022/23")][0] is not None  # other years stay, but the projection that used 2023/24 goes
    assert rows[(HACKNEY, "2022/23")][1] is None and rows[(HACKNEY, "2022/23")][3] is None
    assert rows[("E09000024", "2023/24")][0] is not None and rows[("E09000024", "2023/24")][2] == "uncertain"
    assert rows[("E92000001", "2023/24")][0] is not None  # England: published statistics, not our deliveries


def test_source_extract_written_as_model_names_maps_to_extracts():
    from fhub.dq.extracts import extracts_of

    assert extracts_of("fct_hub_registrations + fct_hub_contacts + int_lsoa_deprivation") == ("register", "contacts")
    assert extracts_of("eyfsp") == ("eyfsp",)
    assert extracts_of("int_lsoa_deprivation") == ()  # reference data only: depends on no delivery
    assert extracts_of("") is None  # unknown: treated conservatively
