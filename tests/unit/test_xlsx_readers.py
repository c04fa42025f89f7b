"""XLSX landing reads ordinary workbooks with python-calamine and streams big ones with openpyxl (issue 7:
landing speed without giving up bounded memory). Both readers must hand the landing the same rows."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from fhub.landing import read, workbook

SPEC = SimpleNamespace(
    columns={"contact_id": "Contact ID", "contact_date": "Date", "attended": "Attended", "hub_id": "Hub"},
    contract=SimpleNamespace(required=["contact_id", "contact_date"]),
    header_row=1,
    sheet=None,
)


def _workbook(path: Path) -> Path:
    """Title rows above the headings, the table starting in column B, a notes sheet first, dates, datetimes,
    times, booleans, integers stored as floats, blank rows inside the data and a stray value to the right."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "read me"
    data = wb.create_sheet("Data")
    data["B1"] = "Hackney contacts"
    for col, heading in zip("BCDEF", ["Contact ID", "Date", "Attended", "Hub", "Minutes"], strict=True):
        data[f"{col}3"] = heading
    rows = [
        ["C1", dt.date(2024, 5, 1), True, "HUB01", 30],
        ["C2", dt.datetime(2024, 5, 2, 14, 30), False, "HUB02", 12.5],
        [None, None, None, None, None],
        ["C3", dt.datetime(2024, 5, 3), "yes", 7, dt.time(9, 15)],
    ]
    for offset, values in enumerate(rows):
        for col, value in zip("BCDEF", values, strict=True):
            data[f"{col}{4 + offset}"] = value
    data["H5"] = "stray"
    wb.save(path)
    return path


def _prepare(path: Path, tmp: Path, fast_max: int, monkeypatch) -> tuple[read.Prepared, str]:
    monkeypatch.setattr(workbook, "XLSX_FAST_MAX_BYTES", fast_max)
    tmp.mkdir()
    prepared = read.prepare_xlsx(path, SPEC, tmp)
    return prepared, prepared.csv_path.read_text(encoding="utf-8")


def test_calamine_and_openpyxl_give_the_same_rows(tmp_path, monkeypatch):
    book = _workbook(tmp_path / "contacts.xlsx")
    fast, fast_csv = _prepare(book, tmp_path / "fast", 1 << 30, monkeypatch)
    slow, slow_csv = _prepare(book, tmp_path / "slow", 0, monkeypatch)
    assert fast_csv == slow_csv
    assert (fast.headers, fast.header_line, fast.warnings) == (slow.headers, slow.header_line, slow.warnings)
    assert fast.headers == ["", "Contact ID", "Date", "Attended", "Hub", "Minutes"]
    assert fast.header_line == 3
    lines = fast_csv.splitlines()
    # sheet row numbers survive as the last column; the blank row 6 is not a data row
    assert lines == [
        ",C1,2024-05-01,true,HUB01,30,4",
        ",C2,2024-05-02 14:30:00,false,HUB02,12.5,5",
        ",C3,2024-05-03,yes,7,09:15:00,7",
    ]
    # sheets are named by position (and shape): a sheet name is the borough's text (issue 13)
    assert any("found on sheet 2 of 2" in reason for reason, _ in fast.warnings)
    assert any("Sheet 1 of 2 (name: text of 5 characters) is not a data sheet; its 1 non-empty rows" in reason
               for reason, _ in fast.warnings)
    assert not any("Data" in reason or "Notes" in reason for reason, _ in fast.warnings)
    assert any("right of the last column heading" in reason for reason, _ in fast.warnings)


def test_big_workbooks_are_streamed_not_loaded(tmp_path, monkeypatch):
    book = _workbook(tmp_path / "contacts.xlsx")
    monkeypatch.setattr(workbook, "XLSX_FAST_MAX_BYTES", 0)
    wb = read.open_workbook(book)
    try:
        assert isinstance(wb, read._OpenpyxlWorkbook)
    finally:
        wb.close()
    monkeypatch.setattr(workbook, "XLSX_FAST_MAX_BYTES", 1 << 30)
    wb = read.open_workbook(book)
    try:
        assert isinstance(wb, read._CalamineWorkbook)
    finally:
        wb.close()


@pytest.mark.parametrize("fast_max", [0, 1 << 30])
def test_unreadable_workbook_is_unlandable(tmp_path, fast_max, monkeypatch):
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("xl/workbook.xml", "<not a workbook")
        zf.writestr("xl/worksheets/sheet1.xml", "<not a workbook")
    monkeypatch.setattr(workbook, "XLSX_FAST_MAX_BYTES", fast_max)
    with pytest.raises(read.Unlandable, match="could not be opened"):
        read.prepare_xlsx(bad, SPEC, tmp_path)
