"""Building blocks of the hostile-input catalogue (:mod:`tests.badinput.cases`): the :class:`Case` record and
fixture writers."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.badinput.fixtures import csv_text, good_row

NAME = "hackney_contacts_2024-05.csv"


@dataclass
class Case:
    id: str
    title: str
    #: quarantined | rejected | warned | landed | held | duplicate | ignored | refused
    outcome: str
    message: str
    write: Callable[[Path], Path]  # folder → written file
    rows: list[int] = field(default_factory=list)  # rejected data rows (1-based)
    column: str | None = None
    spec: dict | None = None  # mapping overrides for this case
    #: more file specs in the borough mapping (e.g. assessments, EYFSP)
    extra_specs: list[dict] | None = None
    #: files delivered (and landed) on an earlier night, before the case's file
    before: Callable[[Path], None] | None = None
    #: expected landing.reconciliation values (column → value)
    ledger: dict[str, int] | None = None
    #: rows landed, when it matters (e.g. every row of a workbook's second sheet)
    landed_rows: int | None = None
    #: text that must not appear in any warning (e.g. a contradictory one)
    not_message: str | None = None
    #: a failing delivery check recorded for the data-quality results (landing.delivery_checks)
    check: str | None = None
    planted: tuple[str, ...] = ()  # text that must never be quoted (beyond the file's own cells and headings)
    stored: dict[int, dict[str, object]] = field(default_factory=dict)  # data row → raw column → value


def rows(n: int = 5) -> list[list[str]]:
    return [good_row(i) for i in range(1, n + 1)]


def _text(name: str, make: Callable[[], str], encoding: str = "utf-8", newline: str | None = None):
    def write(folder: Path) -> Path:
        p = folder / name
        with open(p, "w", encoding=encoding, newline=newline or "") as fh:
            fh.write(make())
        return p
    return write


def _bytes(name: str, make: Callable[[], bytes]):
    def write(folder: Path) -> Path:
        p = folder / name
        p.write_bytes(make())
        return p
    return write


def _with(i: int, col: int, value: str, n: int = 5) -> Callable[[], str]:
    def make() -> str:
        r = rows(n)
        r[i - 1][col] = value
        return csv_text(r)
    return make


def _xlsx(name: str, sheets: list[tuple[str, list[list]]], merge: str | None = None):
    def write(folder: Path) -> Path:
        import openpyxl

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for title, data in sheets:
            ws = wb.create_sheet(title)
            for r in data:
                ws.append(r)
            if merge:
                ws.merge_cells(merge)
        p = folder / name
        wb.save(p)
        return p
    return write


def _zip_bomb(folder: Path) -> Path:
    p = folder / "hackney_contacts_2024-05.xlsx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(64):
                fh.write(block)
    return p


XLSX_SPEC = {"pattern": r"^hackney_contacts_(?P<period>\d{4}-\d{2})\.xlsx$", "format": "xlsx", "delimiter": None,
             "encoding": None}
XLSX_NAME = "hackney_contacts_2024-05.xlsx"
