"""The substring audit as a gate: in the public file a finding is redacted and withholds only the scope it came
from (an unattributable cell is only redacted); in the work file it is a blocking DQ error for its scope, and
the pipeline's own text is scrubbed in place. Nothing found ever blocks the partnership; nothing reported
holds the value."""

from __future__ import annotations

import duckdb
import pytest

from fhub.dq import PublishDecision, WithheldScope, apply_withholdings, decide_publish, ensure_dq_schema
from fhub.dq.privacy_results import CHECK_NAME, record_privacy_results
from fhub.dq.results import CheckResult, write_check_results
from fhub.landing.ddl import ensure_landing_schema
from fhub.privacy.gate import gate_public_file, scrub_structure
from fhub.privacy.scan_duckdb import scan_catalog
from fhub.report.sample import build_sample_published

HACKNEY, MERTON = "E09000012", "E09000024"
NHS = "943 476 5919"


@pytest.fixture
def public(tmp_path):
    con = duckdb.connect(str(build_sample_published(tmp_path / "public.duckdb")))
    yield con
    con.close()


def _withhold(decision: PublishDecision, plan):
    def withhold(con, found):
        extra = [WithheldScope(s.borough_code, s.extract_type, s.period, (reason,)) for s, reason in found]
        apply_withholdings(con, decision.with_scopes(extra), plan)

    return withhold


def _values(con, where: str) -> list[tuple]:
    return con.execute(f"select dq_status, value is null from indicator_values where {where}").fetchall()


def test_a_finding_withholds_only_its_scope_and_is_redacted(public, withholding_plan):
    apply_withholdings(public, PublishDecision(block_all=False), withholding_plan)
    public.execute(f"update dq_check_results set message = 'The hub {NHS} is not a known family hub' "
                   "where borough_code = ? and extract_type = 'eyfsp'", [HACKNEY])
    # a file name that is only an NHS number, on a row with no borough: redacted, never withheld, never blocking
    public.execute("create table deliveries (delivery_id varchar, borough_code varchar, extract_type varchar, "
                   "period varchar, source_file varchar)")
    public.execute("insert into deliveries values ('d1', null, null, null, '9434765919.csv'), "
                   "('d2', ?, 'contacts', '2024-05', 'merton_contacts_2024-05.csv')", [MERTON])
    merton_before = public.execute("select count(*) from indicator_values where geography_code = ? "
                                   "and value is not null", [MERTON]).fetchone()[0]

    findings, redacted = gate_public_file(public, _withhold(PublishDecision(block_all=False), withholding_plan))

    assert redacted == 2
    assert sorted((f.location, f.kind, f.shape) for f in findings) == [
        ("deliveries.source_file", "nhs_number", "10 digits"),
        ("dq_check_results.message", "nhs_number", "NNN NNN NNNN")]
    assert scan_catalog(public, artefact="after") == []  # nothing identifier-like is left anywhere
    msg = public.execute("select message from dq_check_results where borough_code = ? and extract_type = 'eyfsp'",
                         [HACKNEY]).fetchone()[0]
    assert msg == "The hub [NHS number removed] is not a known family hub"
    assert public.execute("select source_file from deliveries where delivery_id = 'd1'").fetchone()[0] == \
        "[NHS number removed].csv"
    # Hackney's EYFSP 2023/24 values are withheld, with a value-free reason; Merton publishes as before
    withheld = public.execute("select distinct period, dq_reason from indicator_values where dq_status = 'withheld' "
                              "and geography_code = ?", [HACKNEY]).fetchall()
    assert {p for p, _ in withheld} == {"2023/24"}
    assert all("Identifier-like text found in the published file" in r and "NNN NNN NNNN" in r
               and "9434765919" not in r.replace(" ", "") for _, r in withheld)
    assert public.execute("select count(*) from indicator_values where geography_code = ? and value is not null",
                          [MERTON]).fetchone()[0] == merton_before
    audit = public.execute("select relation_column, kind, shape, borough_code, extract_type, period, action "
                           "from privacy_audit order by 1").fetchall()
    assert audit == [("deliveries.source_file", "nhs_number", "10 digits", None, None, None, "redacted"),
                     ("dq_check_results.message", "nhs_number", "NNN NNN NNNN", HACKNEY, "eyfsp", "2023/24",
                      "redacted; scope withheld")]
    withholdings = public.execute("select borough_code, extract_type, period from dq_withholdings").fetchall()
    assert withholdings == [(HACKNEY, "eyfsp", "2023/24")]


def test_a_clean_file_is_left_alone(public, withholding_plan):
    apply_withholdings(public, PublishDecision(block_all=False), withholding_plan)
    before = public.execute("select count(*) from indicator_values where dq_status = 'withheld'").fetchone()[0]
    findings, redacted = gate_public_file(public, _withhold(PublishDecision(block_all=False), withholding_plan))
    assert (findings, redacted) == ([], 0)
    assert public.execute("select count(*) from privacy_audit").fetchone()[0] == 0
    assert public.execute("select count(*) from indicator_values where dq_status = 'withheld'").fetchone()[0] == before


def _work(tmp_path):
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    ensure_landing_schema(con)
    ensure_dq_schema(con)
    con.execute("insert into landing.deliveries (delivery_id, borough_code, borough_slug, extract_type, period, "
                "source_file, sha256, size_bytes, loaded_at, run_id, status, rows_delivered, rows_landed, "
                "rows_rejected, rows_warned) values "
                "('d1', ?, 'hackney', 'contacts', '2024-05', '9434765919 Amelia.csv', 'd1', 1, now(), 'r1', "
                "'landed', 2, 2, 0, 0), "
                "('d2', ?, 'merton', 'contacts', '2024-05', 'merton_contacts_2024-05.csv', 'd2', 1, now(), 'r1', "
                "'landed', 1, 1, 0, 0)", [HACKNEY, MERTON])
    return con


def test_work_file_findings_are_blocking_errors_for_their_scope_only(tmp_path):
    con = _work(tmp_path)
    cols = ("contact_id, person_key, hub_id, partner_name, _delivery_id, _source_file, _borough_code, "
            "_extract_type, _period, _row_number, _run_id")
    con.execute(f"insert into raw.hub_contacts ({cols}) values "
                f"('C1', repeat('a', 64), 'HAC-H01', 'call 07700 900123', 'd1', '9434765919 Amelia.csv', ?, "
                f"'contacts', '2024-05', 1, 'r1'), "
                f"('C2', repeat('b', 64), 'HAC-H01', 'Acme Ltd', 'd1', '9434765919 Amelia.csv', ?, 'contacts', "
                f"'2024-05', 2, 'r1'), "
                f"('C3', repeat('c', 64), 'MER-H01', 'Acme Ltd', 'd2', 'merton_contacts_2024-05.csv', ?, "
                f"'contacts', '2024-05', 1, 'r1'), "
                f"('C0', repeat('d', 64), 'MER-H01', 'mail jo@example.org', 'd0', 'x.csv', ?, 'contacts', "
                f"'2024-04', 1, 'r0')", [HACKNEY, HACKNEY, MERTON, MERTON])
    con.execute("insert into landing.rejects values ('d1', '9434765919 Amelia.csv', 3, 4, 'hub_id', null, "
                f"'The hub {NHS} is not a known family hub', 'Use a hub id.', 'r1')")
    write_check_results(con, "r1", "landing", [CheckResult(
        "file_landed", "landing", "completeness", "warn", "warn", message="9434765919.csv was quarantined")])

    findings = record_privacy_results(con, "r1")

    assert {(f.location, f.kind) for f in findings} == {
        ("raw.hub_contacts.partner_name", "phone_number"), ("landing.rejects.reason", "nhs_number"),
        ("dq.check_results.message", "nhs_number")}  # tonight only; the file name stays in the work file
    decision = decide_publish(con, "r1", indicator_relation=None)
    assert not decision.block_all  # the unattributed finding warns, never blocks everyone
    assert [(s.borough_code, s.extract_type, s.period) for s in decision.withheld_scopes] == [
        (HACKNEY, "contacts", "2024-05")]
    reasons = " ".join(decision.withheld_scopes[0].reasons)
    assert "a phone number" in reasons and "raw.hub_contacts.partner_name" in reasons and "07700" not in reasons
    rows = con.execute("select severity, status, borough_code from dq.check_results where check_name = ? "
                       "order by 3 nulls first", [CHECK_NAME]).fetchall()
    assert rows == [("warn", "warn", None), ("withhold_scope", "fail", HACKNEY)]
    # the pipeline's own text was scrubbed in place; the borough's raw row is left as delivered
    assert con.execute("select reason from landing.rejects").fetchone()[0] == \
        "The hub [NHS number removed] is not a known family hub"
    assert "9434765919" not in con.execute("select string_agg(message) from dq.check_results").fetchone()[0]
    assert con.execute("select partner_name from raw.hub_contacts where contact_id = 'C1'").fetchone()[0] == \
        "call 07700 900123"
    con.close()


def test_scrub_structure_cleans_nested_strings_and_counts_them():
    value = {"gate": {"reasons": [f"file {NHS}.csv quarantined", "fine"]}, "n": 3, f"key {NHS}": None}
    clean, n = scrub_structure(value)
    assert n == 2
    assert clean == {"gate": {"reasons": ["file [NHS number removed].csv quarantined", "fine"]}, "n": 3,
                     "key [NHS number removed]": None}


def test_a_finding_known_only_by_its_borough_never_withholds_the_whole_borough(tmp_path):
    """A file whose name matched no agreed pattern has a borough (its folder) but no extract or period."""
    con = _work(tmp_path)
    write_check_results(con, "r1", "landing", [CheckResult(
        "file_landed", "landing", "completeness", "warn", "warn", borough_code=MERTON,
        message="4012345672.csv was quarantined")])
    findings = record_privacy_results(con, "r1")
    assert [(f.scope.borough_code, f.scope.extract_type) for f in findings] == [(MERTON, None)]
    decision = decide_publish(con, "r1", indicator_relation=None)
    assert (decision.block_all, decision.withheld_scopes) == (False, [])
    assert con.execute("select severity from dq.check_results where check_name = ?", [CHECK_NAME]).fetchall() == \
        [("warn",)]
    con.close()
