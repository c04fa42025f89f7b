"""Read a real file as it is: the header and every data row as text (nothing coerced, nothing dropped)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass
class RawTable:
    header: list[str]
    rows: list[list[str | None]]  # data rows, text; row i has data row number i + 1
    #: (data row number, header name) of fields holding a line break inside quotes
    quoted_newlines: list[tuple[int, str]]
    blank_rows_skipped: int = 0


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_csv(path: Path) -> RawTable:
    """CSV as text; quoted line breaks are kept in the value and reported."""
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        rows: list[list[str | None]] = []
        newlines: list[tuple[int, str]] = []
        for row in reader:
            if not row:
                continue
            n = len(rows) + 1
            for i, value in enumerate(row):
                if "\n" in value or "\r" in value:
                    newlines.append((n, header[i] if i < len(header) else f"column {i + 1}"))
            rows.append(list(row))
    return RawTable(header=header, rows=rows, quoted_newlines=newlines)


def read_xlsx(path: Path, sheet: str | None, header_row: int) -> RawTable:
    """One sheet; rows above ``header_row`` are title rows. Read like the boroughs' workbooks
    (:func:`fhub.landing.read.open_workbook`): python-calamine for ordinary workbooks (~5× faster than openpyxl
    on the IMD files), openpyxl streaming for very large ones. An empty-string cell reads as empty, and so does
    an Excel error value (``#N/A``) with calamine. Trailing blank rows count only when the sheet has cells
    below them (openpyxl also counted rows up to the sheet's recorded dimension: 7 for sn_may_2025, of which
    5 do not exist in the file)."""
    from fhub.landing.read import open_workbook

    wb = open_workbook(path)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise KeyError(f"sheet {sheet!r} not found (sheets: {', '.join(wb.sheetnames)})")
        header: list[str] = []
        rows: list[list[str | None]] = []
        blank = 0
        for i, values in enumerate(wb.rows(sheet if sheet is not None else wb.sheetnames[0]), start=1):
            if i < header_row:
                continue
            texts = [None if v == "" else _cell_text(v) for v in values]
            if i == header_row:
                header = ["" if t is None else t for t in texts]
                while header and header[-1] == "":
                    header.pop()  # trailing empty header cells (e.g. the SN sheets' 26th column)
                continue
            if all(t is None or t.strip() == "" for t in texts):
                blank += 1
                continue
            rows.append(texts)
        return RawTable(header=header, rows=rows, quoted_newlines=[], blank_rows_skipped=blank)
    finally:
        wb.close()


def read_parquet_header(path: Path) -> list[str]:
    con = duckdb.connect()
    try:
        return [r[0] for r in con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()]
    finally:
        con.close()


def iter_files(real_dir: Path, patterns: tuple[str, ...]) -> Iterator[Path]:
    seen: set[Path] = set()
    for pattern in patterns:
        for p in sorted(real_dir.glob(pattern)):
            if p.is_file() and p not in seen:
                seen.add(p)
                yield p
