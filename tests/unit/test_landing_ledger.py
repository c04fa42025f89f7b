"""Issue 14 beyond the catalogue: the reader's line count agrees with DuckDB's (chunk boundaries included),
held resubmissions are confirmed (CLI and mapping file), wrong-period holds cannot be, file events get one
receipt line, and held files, duplicates, unexplained lines and empty ELGs become data-quality results."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
import yaml

from fhub.dq import record_landing_results
from fhub.landing import land_all
from fhub.landing import ledger as ledger_module
from fhub.landing.confirm import NotConfirmable, confirm_delivery
from fhub.landing.ledger import count_csv_lines
from tests.badinput.fixtures import (
    EYFSP_FULL_SPEC,
    EYFSP_HEADERS,
    KEY,
    TODAY,
    csv_text,
    eyfsp_row,
    good_row,
    setup,
)

MAY = "hackney_contacts_2024-05.csv"
TEXTS = {
    "plain": b"h1,h2\na,b\nc,d\n",
    "no final newline": b"h1,h2\na,b\nc,d",
    "empty lines": b"h1,h2\n\na,b\n\n\nc,d\n\n",
    "crlf": b"h1,h2\r\na,b\r\n\r\nc,d\r\n",
    "quoted breaks": b'h1,h2\na,"x\ny\n\nz"\n"q""uote",b\n\nc,"\n"\n',
    "bom": b"\xef\xbb\xbfh1,h2\na,b\n",
    "title rows": b"title\n\nh1,h2\na,b\n",
}


def _duckdb_records(path: Path, skip: int) -> int:
    return duckdb.sql(f"select count(*) from read_csv('{path}', header = false, skip = {skip}, auto_detect = false, "
                      "columns = {'a': 'VARCHAR', 'b': 'VARCHAR'}, delim = ',', quote = '\"', escape = '\"', "
                      "strict_mode = true, ignore_errors = true)").fetchone()[0]


@pytest.mark.parametrize("chunk", [3, 7, 1 << 20])
@pytest.mark.parametrize("name", list(TEXTS))
def test_reader_counts_what_duckdb_reads(tmp_path: Path, monkeypatch, name: str, chunk: int) -> None:
    """Records = lines after the heading − empty lines − extra lines of quoted values, whatever the chunks."""
    monkeypatch.setattr(ledger_module, "_CHUNK", chunk)
    path = tmp_path / "f.csv"
    path.write_bytes(TEXTS[name])
    heading = 3 if name == "title rows" else 1
    got = count_csv_lines(path, heading)
    assert got.records == _duckdb_records(path, heading)
    lines = TEXTS[name].count(b"\n") + (0 if TEXTS[name].endswith(b"\n") else 1)
    assert got.physical == lines
    assert got.physical == got.heading_block + got.blank + got.continuation + got.records


def _env(tmp_path: Path, extra_specs=None):
    paths, config = setup(tmp_path, extra_specs=extra_specs)
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    return paths, config, paths.incoming / "hackney", kw


def _deliver(folder: Path, name: str, text: str, age: int) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    os.utime(folder / name, (1_700_000_000 + age,) * 2)


def _q(paths, sql, params=None):
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_confirming_a_held_resubmission(tmp_path: Path) -> None:
    paths, _, folder, kw = _env(tmp_path)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 11)]), 0)
    first = land_all(paths, "run1", KEY, **kw).deliveries[0]
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 6)]), 60)
    held = land_all(paths, "run2", KEY, **kw).deliveries
    held = next(o for o in held if o.status != "skipped")
    assert held.status == "held"
    assert "would withdraw 5 of the 10 records" in held.reason and held.delivery_id[:16] in held.fix
    with pytest.raises(NotConfirmable, match="at least its first 12"):
        confirm_delivery(paths, held.delivery_id[:6], "run3")
    done = confirm_delivery(paths, held.delivery_id[:16], "run3")
    assert done.status == "landed" and done.replaced == [first.delivery_id]
    assert _q(paths, "select delivery_id, status, superseded_by from landing.deliveries order by loaded_at") == [
        (first.delivery_id, "superseded", held.delivery_id), (held.delivery_id, "landed", None)]
    with pytest.raises(NotConfirmable, match="not held"):
        confirm_delivery(paths, held.delivery_id, "run4")


def test_confirmation_in_the_mapping_file_applies_on_the_next_run(tmp_path: Path) -> None:
    paths, config, folder, kw = _env(tmp_path)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 11)]), 0)
    land_all(paths, "run1", KEY, **kw)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 4)]), 60)
    held = next(o for o in land_all(paths, "run2", KEY, **kw).deliveries if o.status == "held")
    doc = yaml.safe_load((config / "hackney.yml").read_text())
    doc["confirm_resubmissions"] = [held.delivery_id[:16]]
    (config / "hackney.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    third = land_all(paths, "run3", KEY, **kw)
    assert [o.status for o in third.deliveries if o.status != "skipped"] == ["confirmed"]
    assert "is now in use" in (paths.receipts / "hackney" / "run3.md").read_text()
    assert _q(paths, "select count(*) from raw.hub_contacts r join landing.deliveries d "
                     "on d.delivery_id = r._delivery_id where d.status = 'landed'") == [(3,)]


def test_a_resubmission_confirmed_in_advance_lands(tmp_path: Path) -> None:
    paths, config, folder, kw = _env(tmp_path)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 11)]), 0)
    land_all(paths, "run1", KEY, **kw)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 4)]), 60)
    from fhub.landing.archive import sha256_file

    doc = yaml.safe_load((config / "hackney.yml").read_text())
    doc["confirm_resubmissions"] = [sha256_file(folder / MAY)[0]]
    (config / "hackney.yml").write_text(yaml.safe_dump(doc, sort_keys=False))
    second = next(o for o in land_all(paths, "run2", KEY, **kw).deliveries if o.status != "skipped")
    assert second.status == "landed" and second.supersedes
    assert any("confirmed that in advance" in w for _, w, _ in second.file_warnings)


def test_a_wrong_period_hold_cannot_be_confirmed(tmp_path: Path) -> None:
    paths, _, folder, kw = _env(tmp_path)
    _deliver(folder, "hackney_contacts_2024-06.csv", csv_text([good_row(i) for i in range(1, 6)]), 0)
    held = land_all(paths, "run1", KEY, **kw).deliveries[0]
    assert held.status == "held" and "looks like the 2024-05 file" in held.reason
    with pytest.raises(NotConfirmable, match="another period"):
        confirm_delivery(paths, held.delivery_id, "run2")


def test_each_file_event_gets_one_receipt_line(tmp_path: Path) -> None:
    paths, _, folder, kw = _env(tmp_path)
    _deliver(folder, MAY, csv_text([good_row(1)]), 0)
    (folder / "~$hackney_contacts_2024-05.csv").write_text("lock", encoding="utf-8")
    (folder / "old").mkdir()
    first = land_all(paths, "run1", KEY, **kw)
    assert sorted(o.status for o in first.deliveries) == ["ignored", "ignored", "landed"]
    receipt = (paths.receipts / "hackney" / "run1.md").read_text()
    assert "A hidden or temporary file (a csv file of 4 bytes" in receipt and "A folder" in receipt
    assert "~$" not in receipt  # described, never named
    second = land_all(paths, "run2", KEY, **kw)
    assert {o.status for o in second.deliveries} == {"skipped"}
    # a night with nothing new still gets its receipt (one per borough per run), listing no file again
    again = (paths.receipts / "hackney" / "run2.md").read_text()
    assert "No new files from this borough were received in this run" in again and "A folder" not in again


def _results(paths, run_id):
    con = duckdb.connect(str(paths.work_db))
    try:
        record_landing_results(con, run_id)
        return con.execute("select check_name, extract_type, period, severity, status, message from dq.check_results "
                           "where run_id = ? and source = 'landing' and status <> 'pass' order by all",
                           [run_id]).fetchall()
    finally:
        con.close()


def test_held_files_duplicates_and_empty_elgs_are_data_quality_results(tmp_path: Path) -> None:
    paths, _, folder, kw = _env(tmp_path, [EYFSP_FULL_SPEC])
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 6)]), 0)
    _deliver(folder, "hackney_contacts_2024-07.csv", csv_text([good_row(i, 6) for i in range(1, 6)]), 10)
    rows = [eyfsp_row(i) for i in range(1, 5)]
    for r in rows:
        r[3] = ""
    _deliver(folder, "hackney_eyfsp_2023-24.csv", csv_text(rows, EYFSP_HEADERS), 20)
    land_all(paths, "run1", KEY, **kw)
    _deliver(folder, "hackney_contacts_2024-08.csv", (folder / MAY).read_text(), 30)
    land_all(paths, "run2", KEY, **kw)
    first = _results(paths, "run1")
    assert ("file_in_use", "contacts", "2024-07", "withhold_scope", "fail") in [r[:5] for r in first]
    assert ("elg_judgements_present", "eyfsp", "2023/24", "withhold_scope", "fail") in [r[:5] for r in first]
    second = _results(paths, "run2")
    dup = [r for r in second if r[0] == "file_landed"]
    assert [r[1:5] for r in dup] == [("contacts", "2024-08", "withhold_scope", "fail")]
    assert "still missing" in dup[0][5]
    # the empty ELG withholds the year every night while that delivery is in use, not only the first
    assert ("elg_judgements_present", "eyfsp", "2023/24", "withhold_scope", "fail") in [r[:5] for r in second]
    messages = " ".join(r[5] for r in first + second)
    assert "hackney_" not in messages and "hackney eyfsp 2023/24 (delivery" in messages  # labels, not file names


def test_unexplained_lines_withhold_the_scope_every_night(tmp_path: Path) -> None:
    paths, _, folder, kw = _env(tmp_path)
    _deliver(folder, MAY, csv_text([good_row(i) for i in range(1, 6)]), 0)
    land_all(paths, "run1", KEY, **kw)
    con = duckdb.connect(str(paths.work_db))
    con.execute("update landing.reconciliation set lines_unexplained = 2")  # e.g. rows a reader missed
    con.close()
    for run in ("run1", "run2"):
        failing = [r for r in _results(paths, run) if r[0] == "lines_accounted"]
        assert [r[1:5] for r in failing] == [("contacts", "2024-05", "withhold_scope", "fail")], run


def test_quarterly_file_of_the_previous_quarter_is_held(tmp_path: Path) -> None:
    paths, config = setup(tmp_path, {"pattern": r"^hackney_contacts_(?P<period>\d{4}-\d{2}_Q[1-4])\.csv$",
                                     "period_format": "quarter"})
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    folder = paths.incoming / "hackney"
    _deliver(folder, "hackney_contacts_2024-25_Q2.csv", csv_text([good_row(i) for i in range(1, 6)]), 0)
    _deliver(folder, "hackney_contacts_2024-25_Q1.csv", csv_text([good_row(i) for i in range(6, 11)]), 10)
    got = {o.period: (o.status, o.reason) for o in land_all(paths, "run1", KEY, **kw).deliveries}
    assert got["2024/25 Q2"][0] == "held" and "This looks like the 2024/25 Q1 file: 5 of its 5" in got["2024/25 Q2"][1]
    assert got["2024/25 Q1"] == ("landed", None)


def test_a_register_may_list_earlier_registrations_but_none_after_its_period(tmp_path: Path) -> None:
    from tests.unit.test_landing_groups import REGISTER_HEADERS, REGISTER_SPEC

    paths, config = setup(tmp_path, extra_specs=[REGISTER_SPEC])
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    rows = [["X1", "F1", "parent_carer", "01/03/1975", "01/05/2022", "HAC-H01"],   # two years before: fine
            ["X2", "F1", "child", "01/01/2023", "03/06/2024", "HAC-H01"],          # within the tolerance
            ["X3", "F2", "child", "01/01/2023", "20/07/2024", "HAC-H01"]]          # after May: rejected
    _deliver(paths.incoming / "hackney", "hackney_register_2024-05.csv", csv_text(rows, REGISTER_HEADERS), 0)
    out = land_all(paths, "run1", KEY, **kw).deliveries[0]
    assert (out.status, out.rows_landed, out.rows_rejected) == ("landed", 2, 1)
    assert _q(paths, "select row_number, reason from landing.rejects") == [
        (3, "The date in RegDate is after the end of 2024-05, the period in the file name (by more than 7 days).")]
