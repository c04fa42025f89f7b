"""Report tables: HTML with GSS symbols, and CSV + XLSX downloads written beside the page.

GSS symbols used in cells (see docs/reports.md): ``c`` confidential (suppressed), ``x`` not available (not
collected, not delivered, or withheld for data quality), ``z`` not applicable, ``b`` break in series,
``r`` revised, ``p`` provisional (or projected), ``u`` low reliability. The same letters in the page tables,
the spine chart, the CSV and the XLSX (whose footnote lists them all).

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
    show: int | None = None  # on the page: the first `show` rows (all in the downloads); None = all

    def __post_init__(self) -> None:
        self.slug = self.slug or slugify(self.title)

    @property
    def shown_rows(self) -> list[list[object]]:
        return self.rows if self.show is None else self.rows[: self.show]

    @property
    def symbols(self) -> list[tuple[str, str]]:
        """The GSS symbols (and verdict marks) this table's cells use, with their meaning: the key printed
        beside the table."""
        return symbols_in(self.rows)


#: GSS symbols (docs/reports.md) and the verdict marks, in the order the key lists them
SYMBOLS = {
    "c": "confidential (suppressed to protect small numbers)",
    "x": "not available (not collected, not delivered, or withheld for data quality)",
    "z": "not applicable",
    "b": "break in series (EYFS reform 2021/22)",
    "p": "provisional or projected",
    "r": "revised",
    "u": "low reliability",
}
MARKS = {"▲": "significantly better", "●": "not significantly different", "▼": "significantly worse"}
#: recent trend (Fingertips: chi-square test for trend over the 5 most recent comparable annual points); the cell
#: always carries the words too (``↑ increasing and getting better``), so nothing is said by colour alone
TREND_MARKS = {
    "↑": "trend: increasing (significant)",
    "↓": "trend: decreasing (significant)",
    "→": "trend: no significant change",
    "–": "trend could not be calculated (fewer than 5 comparable annual points, or quarterly data)",
}
#: every symbol and mark a key may list, with its meaning, in the order keys list them
KEY_MEANINGS = {**SYMBOLS, **MARKS, **TREND_MARKS}
SYMBOL_FOOTNOTE = "GSS symbols: " + "; ".join(f"{k} {v}" for k, v in SYMBOLS.items()) + "."


def symbols_in(rows: list[list[object]]) -> list[tuple[str, str]]:
    found: set[str] = set()
    for row in rows:
        for v in row:
            if not isinstance(v, str):
                continue
            text = v.strip()
            if text in SYMBOLS:
                found.add(text)
            elif text[:1] in MARKS:
                found.add(text[:1])
            elif text[:1] in TREND_MARKS and text[1:2] in ("", " "):
                found.add(text[:1])
            elif text.endswith((" p", " r", " b")) and text[-1] in SYMBOLS:
                found.add(text[-1])
    return [(s, meaning) for s, meaning in KEY_MEANINGS.items() if s in found]


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
    ws.append([SYMBOL_FOOTNOTE])
    marks = [(s, m) for s, m in table.symbols if s not in SYMBOLS]
    if marks:  # the verdict and trend marks this table uses, as the page's key beside it says
        ws.append(["Marks: " + "; ".join(f"{s} {m}" for s, m in marks) + "."])
    wb.save(folder / f"{base}.xlsx")
    table.csv_href = f"{folder.name}/{base}.csv"
    table.xlsx_href = f"{folder.name}/{base}.xlsx"
