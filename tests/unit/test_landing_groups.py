"""Set-based landing of groups of files: per-file accounting and lineage, duplicates without fan-out,
nil returns, birth-month plausibility, and the fast keyed hash."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import yaml

from fhub.landing import land_all, withdraw_delivery
from fhub.landing.engine import hash_many
from fhub.pseudonymise import keyed_hash
from tests.badinput.fixtures import KEY, TODAY, csv_text, good_row, setup

REGISTER_HEADERS = ["PersonID", "FamilyID", "Role", "BirthMonth", "RegDate", "Hub"]
REGISTER_SPEC = {
    "extract": "register",
    "pattern": r"^hackney_register_(?P<period>\d{4}-\d{2})\.csv$",
    "period_format": "month", "format": "csv", "delimiter": ",", "encoding": "utf-8", "header_row": 1,
    "date_format": "%d/%m/%Y",
    "columns": {"person_id": "PersonID", "family_id": "FamilyID", "role": "Role", "birth_month": "BirthMonth",
                "registration_date": "RegDate", "hub_id": "Hub"},
}
EYFSP_SPEC = {
    "extract": "eyfsp",
    "pattern": r"^hackney_eyfsp_(?P<period>\d{4}-\d{2})\.csv$",
    "period_format": "academic_year", "format": "csv", "delimiter": ",", "encoding": "utf-8", "header_row": 1,
    "date_format": "%d/%m/%Y",
    "columns": {"pupil_id": "Pupil", "academic_year": "Year", "birth_month": "Born"},
}


def _kw(tmp: Path) -> dict:
    return dict(key_label="demo", hubs_csv=tmp / "hubs.csv", today=TODAY)


def _setup(tmp: Path):
    paths, config = setup(tmp, extra_specs=[REGISTER_SPEC, EYFSP_SPEC])
    return paths, config, paths.incoming / "hackney"


def _q(paths, sql, params=None):
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_hash_many_equals_keyed_hash() -> None:
    values = ["943 476 5919", "9434765919", "abc-def", "  ", "é-x", "P000001", "a\u00a0b"]
    assert hash_many(KEY, values) == [keyed_hash(KEY, v) for v in values]


def test_group_of_files_accounts_per_file_with_lineage(tmp_path: Path) -> None:
    paths, config, folder = _setup(tmp_path)
    for month, n in (("01", 3), ("02", 5), ("03", 4)):
        rows = [good_row(i, int(month)) for i in range(1, n + 1)]
        rows[0][8] = "31/02/2024"  # one rejected row per file (row 1)
        text = csv_text(rows)
        if month == "02":  # a structural reject in the middle shifts later row numbers in this file only
            lines = text.splitlines(keepends=True)
            text = "".join(lines[:3]) + "C9,P9\n" + "".join(lines[3:])
        (folder / f"hackney_contacts_2024-{month}.csv").write_text(text, encoding="utf-8")
    res = land_all(paths, "run1", KEY, config_dir=config, **_kw(tmp_path))
    got = {d.source_file: (d.rows_delivered, d.rows_landed, d.rows_rejected) for d in res.deliveries}
    assert got == {"hackney_contacts_2024-01.csv": (3, 2, 1), "hackney_contacts_2024-02.csv": (6, 4, 2),
                   "hackney_contacts_2024-03.csv": (4, 3, 1)}
    rows = _q(paths, "select _source_file, list(_row_number order by _row_number) from raw.hub_contacts group by 1 "
                     "order by 1")
    assert rows == [("hackney_contacts_2024-01.csv", [2, 3]), ("hackney_contacts_2024-02.csv", [2, 4, 5, 6]),
                    ("hackney_contacts_2024-03.csv", [2, 3, 4])]
    rej = _q(paths, "select source_file, row_number, line_number from landing.rejects order by 1, 2")
    assert rej == [("hackney_contacts_2024-01.csv", 1, 2), ("hackney_contacts_2024-02.csv", 1, 2),
                   ("hackney_contacts_2024-02.csv", 3, 4), ("hackney_contacts_2024-03.csv", 1, 2)]


def test_duplicates_and_rejects_do_not_fan_out(tmp_path: Path) -> None:
    """Duplicate rows, duplicate ids and rejected rows in one register file (the 'inserted 15, expected 13'
    case): every row accounted for exactly once; the same ids in another file are not duplicates."""
    paths, config, folder = _setup(tmp_path)
    base = [["X1", "F1", "parent_carer", "01/03/1975", "01/05/2024", "HAC-H01"],
            ["X2", "F1", "child", "01/01/2023", "01/05/2024", "HAC-H01"],
            ["X3", "F2", "child", "01/01/2023", "01/05/2024", "HAC-H01"]]
    rows = [*base, base[1], base[1], ["X3", "F2", "child", "01/02/2023", "01/05/2024", "HAC-H01"],
            ["X4", "F3", "child", "bad", "01/05/2024", "HAC-H01"], ["X4", "F3", "child", "bad", "01/05/2024",
                                                                    "HAC-H01"]]
    (folder / "hackney_register_2024-05.csv").write_text(csv_text(rows, REGISTER_HEADERS), encoding="utf-8")
    (folder / "hackney_register_2024-06.csv").write_text(csv_text(base, REGISTER_HEADERS), encoding="utf-8")
    res = land_all(paths, "run1", KEY, config_dir=config, **_kw(tmp_path))
    assert not res.quarantined, [d.reason for d in res.quarantined]
    may = next(d for d in res.deliveries if d.period == "2024-05")
    # landed: X1, X2 (first copy); rejected: X2 copies (4, 5), X3 conflict (3, 6), X4 bad + copy (7, 8)
    assert (may.rows_delivered, may.rows_landed, may.rows_rejected) == (8, 2, 6)
    assert _q(paths, "select count(*) from raw.hub_register where _period = '2024-05'") == [(2,)]
    assert _q(paths, "select count(*) from raw.hub_register where _period = '2024-06'") == [(3,)]
    assert _q(paths, "select list(distinct row_number order by row_number) from landing.rejects") == [
        ([3, 4, 5, 6, 7, 8],)]


def test_birth_months_parents_due_months_and_reception_year(tmp_path: Path) -> None:
    paths, config, folder = _setup(tmp_path)
    rows = [["A1", "F1", "parent_carer", "01/03/1961", "01/05/2024", "HAC-H01"],   # parent born 1961: fine
            ["A2", "F1", "expectant_parent", "01/08/2025", "01/05/2024", "HAC-H01"],  # due in 7 months: fine
            ["A3", "F1", "parent_carer", "01/03/1890", "01/05/2024", "HAC-H01"],  # before 1900: rejected
            ["A4", "F1", "expectant_parent", "01/03/2027", "01/05/2024", "HAC-H01"]]  # 26 months ahead: rejected
    (folder / "hackney_register_2024-05.csv").write_text(csv_text(rows, REGISTER_HEADERS), encoding="utf-8")
    eyfsp = [["U1", "2023/24", "01/10/2018"], ["U2", "2023/24", "01/10/2019"]]  # U2: a year too young
    (folder / "hackney_eyfsp_2023-24.csv").write_text(csv_text(eyfsp, ["Pupil", "Year", "Born"]), encoding="utf-8")
    land_all(paths, "run1", KEY, config_dir=config, **_kw(tmp_path))
    rej = _q(paths, "select row_number, reason from landing.rejects order by 1")
    assert [r[0] for r in rej] == [3, 4]
    assert "before 1900" in rej[0][1] and "in the future" in rej[1][1]
    warn = _q(paths, "select row_number, reason from landing.warnings where row_number is not null")
    assert len(warn) == 1 and warn[0][0] == 2 and "born between September 2018 and August 2019" in warn[0][1]
    assert _q(paths, "select count(*) from raw.eyfsp_results") == [(2,)]


def test_nil_return_then_data_then_empty_resubmission(tmp_path: Path) -> None:
    paths, config, folder = _setup(tmp_path)
    f = folder / "hackney_contacts_2024-05.csv"
    kw = dict(config_dir=config, **_kw(tmp_path))

    def deliver(text: str, run: str, age: int):
        f.write_text(text, encoding="utf-8")
        os.utime(f, (1_700_000_000 + age,) * 2)
        return land_all(paths, run, KEY, **kw)

    first = deliver(csv_text([]), "run1", 0)  # nil return: landed, 0 rows, warning
    assert [(d.status, d.rows_delivered) for d in first.deliveries] == [("landed", 0)]
    assert "treated as a nil return (no activity) for 2024-05" in (paths.receipts / "hackney" / "run1.md").read_text()
    second = deliver(csv_text([good_row(i) for i in range(1, 4)]), "run2", 60)  # real data replaces the nil return
    assert [d.status for d in second.deliveries] == ["landed"] and second.deliveries[0].supersedes
    third = deliver(csv_text([]) + "\n", "run3", 120)  # an empty resubmission cannot wipe the period
    assert [d.status for d in third.deliveries] == ["superseded"]
    receipt = (paths.receipts / "hackney" / "run3.md").read_text()
    assert "an empty file does not replace them" in receipt and "withdraw" in receipt
    hist = _q(paths, "select status, rows_landed from landing.deliveries order by received_at")
    assert hist == [("superseded", 0), ("landed", 3), ("superseded", 0)]
    assert _q(paths, "select count(*) from raw.hub_contacts") == [(3,)]
    # withdrawing the period is a deliberate step: the delivery stops counting, its history stays
    assert withdraw_delivery(paths, second.deliveries[0].sha256, "run4", "borough confirmed no activity") == (
        second.deliveries[0].label)
    assert _q(paths, "select count(*) from landing.deliveries where status = 'landed'") == [(0,)]
    assert _q(paths, "select reason from landing.warnings where run_id = 'run4'") == [
        ("Withdrawn by the hub data team: borough confirmed no activity",)]


def test_empty_bytes_still_quarantined_and_bad_file_leaves_group(tmp_path: Path) -> None:
    paths, config, folder = _setup(tmp_path)
    (folder / "hackney_contacts_2024-01.csv").write_text("", encoding="utf-8")
    (folder / "hackney_contacts_2024-02.csv").write_text(csv_text([good_row(1, 2)]) + 'C2,"P2,x\n', encoding="utf-8")
    (folder / "hackney_contacts_2024-03.csv").write_text(csv_text([good_row(1, 3), good_row(2, 3)]), encoding="utf-8")
    (folder / "hackney_contacts_2024-04.csv").write_bytes(
        csv_text([[*good_row(3, 4)[:7], "Café", *good_row(3, 4)[8:]]]).encode("cp1252"))
    res = land_all(paths, "run1", KEY, config_dir=config, **_kw(tmp_path))
    st = {d.source_file[-11:-4]: d.status for d in res.deliveries}
    assert st == {"2024-01": "quarantined", "2024-02": "quarantined", "2024-03": "landed", "2024-04": "landed"}
    assert _q(paths, "select _period, count(*) from raw.hub_contacts group by 1 order by 1") == [
        ("2024-03", 2), ("2024-04", 1)]
    assert _q(paths, "select partner_name from raw.hub_contacts where _period = '2024-04'") == [("Café",)]


def test_config_yaml_is_plain(tmp_path: Path) -> None:
    """The test mapping is a valid borough mapping (guards the fixture itself)."""
    _, config, _ = _setup(tmp_path)
    doc = yaml.safe_load((config / "hackney.yml").read_text())
    assert [f["extract"] for f in doc["files"]] == ["contacts", "register", "eyfsp"]


def test_identical_nil_returns_for_different_months_are_each_recorded(tmp_path: Path) -> None:
    """Header-only files are byte-identical every month; each month's nil return is still recorded (a real
    repeat of the same file for the same month is still skipped)."""
    paths, config, folder = _setup(tmp_path)
    kw = dict(config_dir=config, **_kw(tmp_path))
    for m in ("01", "02"):
        (folder / f"hackney_contacts_2024-{m}.csv").write_text(csv_text([]), encoding="utf-8")
    first = land_all(paths, "run1", KEY, **kw)
    assert sorted((d.source_file[-11:-4], d.status) for d in first.deliveries) == [
        ("2024-01", "landed"), ("2024-02", "landed")]
    (folder / "hackney_contacts_2024-03.csv").write_text(csv_text([]), encoding="utf-8")
    second = land_all(paths, "run2", KEY, **kw)
    assert sorted((d.source_file[-11:-4], d.status) for d in second.deliveries) == [
        ("2024-01", "skipped"), ("2024-02", "skipped"), ("2024-03", "landed")]
    rows = _q(paths, "select period, status, rows_delivered, sha256 from landing.deliveries order by period")
    assert [r[:3] for r in rows] == [("2024-01", "landed", 0), ("2024-02", "landed", 0), ("2024-03", "landed", 0)]
    assert len({r[3] for r in rows}) == 1  # one content, three deliveries
    third = land_all(paths, "run3", KEY, **kw)
    assert {d.status for d in third.deliveries} == {"skipped"}
