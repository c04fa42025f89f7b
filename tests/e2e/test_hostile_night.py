"""Issue 14, end to end: after a demo night, a hostile second night — a month's contacts re-saved under the
next month's name, a resubmission with half the rows, a register workbook whose rows continue on a second
sheet, the same bytes under another month's name and a non-numeric cell in a whole-number column — lands with
every row accounted for in the ledger, leaves the published figures of untouched scopes as they were, and
nothing a borough reads mentions SQL or an internal error."""

from __future__ import annotations

import os
import re
import shutil
import time

import duckdb
import openpyxl
import pytest

from tests.e2e.harness import _stable, copy_state, fhub

pytestmark = pytest.mark.e2e

HACKNEY, MERTON, WESTMINSTER = "E09000012", "E09000024", "E09000033"
LEAKS = re.compile(r"internal error|\bselect\b[^.|]*\bfrom\b|insert into|create (or replace )?(temp )?table|"
                   r"read_csv|\b\w+ Error:|duckdb|Traceback", re.IGNORECASE)
FIGURES = ("metric_id", "geography_level", "geography_code", "period", "breakdown_type", "breakdown_value",
           "numerator", "denominator", "value", "lower_95", "upper_95", "suppression_symbol")


def _published(data, where: str) -> list[tuple]:
    con = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(f"select {', '.join(FIGURES)} from indicator_values iv where {where}").fetchall()
    finally:
        con.close()
    return sorted((tuple(_stable(v) for v in r) for r in rows), key=repr)


def _scope(code: str) -> str:
    return (f"(geography_level = 'borough' and geography_code = '{code}') or (geography_level = 'hub' and "
            f"geography_code in (select hub_id from hubs where borough_code = '{code}'))")


def _split_workbook(path) -> int:
    """Re-save the register workbook with its data rows split over 'Data' and 'Data (2)' (headings repeated,
    as a person copying rows to a new sheet would). Returns the number of data rows."""
    wb = openpyxl.load_workbook(path)
    rows = list(wb["Data"].iter_rows(values_only=True))
    titles, heading, data = rows[:2], rows[2], rows[3:]
    half = len(data) // 2
    out = openpyxl.Workbook()
    first = out.active
    first.title = "Data"
    for r in [*titles, heading, *data[:half]]:
        first.append(list(r))
    second = out.create_sheet("Data (2)")
    for r in [heading, *data[half:]]:
        second.append(list(r))
    out.save(path)
    return len(data)


def _hostile_night(incoming, sent) -> dict:
    """Write the hostile night's files into ``incoming`` from what the boroughs sent on the first night
    (``sent``; landed files have left incoming/)."""
    hackney, westminster = incoming / "hackney", incoming / "westminster"
    hackney.mkdir(parents=True, exist_ok=True)
    westminster.mkdir(parents=True, exist_ok=True)
    was = sent / "hackney"
    expected = {}
    # March's contacts re-saved (other line endings, so other bytes) under April's name: April already landed
    march = (was / "hackney_contacts_2025-03.csv").read_bytes()
    resaved = march.replace(b"\r\n", b"\n") if b"\r\n" in march else march.replace(b"\n", b"\r\n")
    (hackney / "hackney_contacts_2025-04.csv").write_bytes(resaved)
    expected["wrong_period"] = march.count(b"\n") - 1
    # June resubmitted with half its rows
    june = (was / "hackney_contacts_2025-06.csv").read_text().splitlines(keepends=True)
    keep = len(june[1:]) // 2
    (hackney / "hackney_contacts_2025-06.csv").write_text("".join(june[: 1 + keep]))
    expected["half"] = keep
    # September's referrals copied under November's name (November was never delivered)
    (hackney / "hackney_referrals_2024-11.csv").write_bytes((was / "hackney_referrals_2024-09.csv").read_bytes())
    # January's assessments resubmitted with a word in the whole-number column AgeMonths
    lines = (was / "hackney_assessments_2025-01.csv").read_text().splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[6] = "thirty"
    lines[3] = ",".join(cells)
    (hackney / "hackney_assessments_2025-01.csv").write_text("".join(lines))
    expected["assessments"] = len(lines) - 1
    register = westminster / "WST_FamilyHubs_Register_Sep2024.xlsx"
    shutil.copyfile(sent / "westminster" / register.name, register)
    expected["workbook"] = _split_workbook(register)
    now = time.time()
    for f in ("hackney_contacts_2025-04.csv", "hackney_contacts_2025-06.csv", "hackney_referrals_2024-11.csv",
              "hackney_assessments_2025-01.csv"):
        os.utime(hackney / f, (now, now))
    os.utime(westminster / "WST_FamilyHubs_Register_Sep2024.xlsx", (now, now))
    return expected


def test_hostile_second_night(baseline, prefect_server, tmp_path):
    data = copy_state(baseline["data"], tmp_path / "data")
    expected = _hostile_night(data / "incoming", baseline["sent"])
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    con = duckdb.connect(str(data / "work" / "warehouse.duckdb"), read_only=True)
    try:
        run2 = con.execute("select run_id from landing.runs order by started_at desc limit 1").fetchone()[0]
        night = {r[0]: r[1:] for r in con.execute(
            "select source_file, status, rows_delivered, rows_landed, rows_rejected, delivery_id "
            "from landing.deliveries where run_id = ?", [run2]).fetchall()}
        # the wrong-period file is held, the April delivery in use stays in use
        assert night["hackney_contacts_2025-04.csv"][:2] == ("held", expected["wrong_period"])
        assert con.execute("select kind, looks_like_period from landing.holds where delivery_id = ?",
                           [night["hackney_contacts_2025-04.csv"][4]]).fetchone() == ("wrong_period", "2025-03")
        # the half-size resubmission is held; June's first delivery stays in use
        assert night["hackney_contacts_2025-06.csv"][:2] == ("held", expected["half"])
        for period in ("2025-04", "2025-06"):
            assert con.execute("select count(*) from landing.deliveries where borough_code = ? and period = ? "
                               "and extract_type = 'contacts' and status = 'landed'", [HACKNEY, period]
                               ).fetchone()[0] == 1
        # every row of both sheets landed
        wb = night["WST_FamilyHubs_Register_Sep2024.xlsx"]
        assert wb[0] == "landed" and wb[1] == expected["workbook"] == wb[2] + wb[3]
        assert con.execute("select sheets_read from landing.reconciliation where delivery_id = ?",
                           [wb[4]]).fetchone()[0] == 2
        # one bad cell rejects its row, never the file
        assess = night["hackney_assessments_2025-01.csv"]
        assert assess[:4] == ("landed", expected["assessments"], expected["assessments"] - 1, 1)
        assert con.execute("select column_name, reason from landing.rejects where delivery_id = ?",
                           [assess[4]]).fetchall() == [("AgeMonths", "The value in AgeMonths is not a whole number.")]
        # identical bytes under another month's name: a receipt line, and November is still missing
        assert con.execute("select period from landing.file_events where run_id = ? and event = 'duplicate'",
                           [run2]).fetchall() == [("2024-11",)]
        assert "hackney_referrals_2024-11.csv" not in night
        # every row of every delivery, both nights, accounted for in the ledger
        ledger = con.execute("""
            select d.source_file, r.lines_physical, r.lines_heading_block + r.lines_blank + r.lines_repeated_heading
                   + r.lines_footer + r.lines_continuation + r.lines_other_sheets, r.rows_landed, r.rows_rejected,
                   r.lines_unexplained, d.rows_landed, d.rows_rejected
            from landing.deliveries d left join landing.reconciliation r using (delivery_id)
            where d.status in ('landed', 'superseded', 'held') and d.borough_slug in ('hackney', 'merton', 'westminster')
        """).fetchall()
        assert ledger and all(r[1] is not None for r in ledger), [r[0] for r in ledger if r[1] is None]
        for name, physical, explained, landed, rejected, unexplained, d_landed, d_rejected in ledger:
            assert unexplained == 0 and physical == explained + landed + rejected, name
            assert (landed, rejected) == (d_landed, d_rejected), name
        checks = con.execute("select check_name, borough_code, extract_type, period, severity, status "
                             "from dq.check_results where run_id = ? and source = 'landing' and status <> 'pass'",
                             [run2]).fetchall()
    finally:
        con.close()
    assert ("file_landed", HACKNEY, "referrals", "2024-11", "withhold_scope", "fail") in checks
    assert ("file_in_use", HACKNEY, "contacts", "2025-04", "warn", "warn") in checks
    assert not [c for c in checks if c[0] == "lines_accounted"]

    # the published figures of untouched scopes are identical to the first night's
    first_night = baseline["data"]
    for where in (_scope(MERTON), _scope(WESTMINSTER),
                  f"metric_id = 'eyfs_gld' and geography_level = 'borough' and geography_code = '{HACKNEY}'"):
        before, after = _published(first_night, where), _published(data, where)
        assert before and after == before, where

    # nothing the borough reads mentions SQL or an internal error
    read_by_boroughs = [*data.glob(f"receipts/*/{run2}.*"), *data.glob("quarantine/*/reason.txt")]
    # one receipt per borough per run: the two that sent files tonight, and every other mapped borough saying so
    receipts = {p.parent.name: p for p in read_by_boroughs if p.suffix == ".md"}
    assert {"hackney", "westminster"} < set(receipts)
    for slug, path in receipts.items():
        assert ("No new files from this borough" in path.read_text()) == (slug not in {"hackney", "westminster"})
    for path in read_by_boroughs:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not LEAKS.search(text), (path, LEAKS.search(text))
    hackney = (data / "receipts" / "hackney" / f"{run2}.md").read_text()
    for said in ("This looks like the 2025-03 file", "would withdraw", "so referrals for 2024-11 is still missing",
                 "not a whole number", "Every line accounted for"):
        assert said in hackney, said
    assert "The data continues on 1 more sheet" in (data / "receipts" / "westminster" / f"{run2}.md").read_text()
