"""Report tables: HTML with GSS symbols, and CSV + XLSX downloads written beside the page.

GSS symbols used in cells (see docs/reports.md): ``c`` confidential (suppressed), ``x`` not available (not
collected, not delivered, or withheld for data quality), ``z`` not applicable, ``b`` break in series,
``r`` revised, ``p`` provisional, ``u`` low reliability.

Exports are formula-safe: a text cell starting with ``= + - @`` (or tab / carriage return) is prefixed with an
apostrophe so spreadsheet programs never execute it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "table"


def neutralise(value: object) -> object:
    """Make a cell safe for spreadsheets: text beginning with a formula character gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[object]]
    slug: str = ""
    caption: str = ""
    numeric: set[int] = field(default_factory=set)  # column indexes right-aligned
    row_headers: bool = True  # first column is a row header (<th scope="row">)
    csv_href: str = ""
    xlsx_href: str = ""

    def __post_init__(self) -> None:
        self.slug = self.slug or slugify(self.title)


def cell(value: object, symbol: str | None = None, digits: int = 1) -> object:
    """A value for a table cell: the number, or its GSS symbol when there is no number."""
    if value is None:
        return symbol or "x"
    if isinstance(value, float):
        return round(value, digits)
    return value


def write_downloads(table: Table, folder: Path, prefix: str) -> None:
    """Write ``<prefix>-<slug>.csv`` and ``.xlsx`` into ``folder`` and set the table's download links."""
    folder.mkdir(parents=True, exist_ok=True)
    base = f"{prefix}-{table.slug}"
    csv_path = folder / f"{base}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([neutralise(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([neutralise(v) for v in row])
    wb = Workbook()
    ws = wb.active
    ws.title = slugify(table.title)[:31] or "table"
    ws.append([neutralise(c) for c in table.columns])
    for row in table.rows:
        ws.append([neutralise(v) if not isinstance(v, bool) else str(v) for v in row])
    if table.caption:
        ws.append([])
        ws.append([neutralise(table.caption)])
    ws.append([])
    ws.append(["GSS symbols: c confidential (suppressed), x not available, z not applicable, b break in series, r revised"])
    wb.save(folder / f"{base}.xlsx")
    table.csv_href = f"{folder.name}/{base}.csv"
    table.xlsx_href = f"{folder.name}/{base}.xlsx"
