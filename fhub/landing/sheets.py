"""Read a workbook's data sheets into one CSV for the scan, counting every row on the way (the ledger).

Data sheets are the sheets whose name matches the mapping's ``sheet`` (in any case, with the continuation
sheets Excel names ``Data (2)``, ``Data (3)``, …) or ``sheet_pattern``; without either, the first sheet with
the agreed headings and its continuations. They are read in workbook order and concatenated: each sheet's
heading row (and the title rows above it) is skipped, its columns are matched to the first data sheet's
headings. Every other non-empty sheet is named in a warning (by position and shape: sheet names come from the
borough's file) and its rows are counted in the ledger; a sheet that carries the agreed headings but is not a
data sheet, or a data sheet whose headings cannot be matched, is not read and its rows are *unexplained*
(a blocking data-quality error), never silently dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fhub.landing.ledger import Ledger, has_control_bytes
from fhub.landing.mapping import sheet_name_regex
from fhub.landing.quarantine import Unlandable
from fhub.landing.read import (
    HEADER_SEARCH_ROWS,
    Prepared,
    agreed_headings,
    choose_header,
    missing_columns_error,
    norm_header,
)
from fhub.landing.workbook import _cell_text, _Workbook, check_zip, open_workbook
from fhub.privacy import shape as text_shape


def prepare_xlsx(path: Path, spec: Any, tmp_dir: Path, *, fast_max_bytes: int | None = None) -> Prepared:
    """The workbook's data sheet as a CSV in ``tmp_dir``; ``fast_max_bytes``: :func:`open_workbook`."""
    check_zip(path)
    wb = open_workbook(path, keep_error_values=True, fast_max_bytes=fast_max_bytes)
    try:
        return _read_workbook(wb, spec, tmp_dir)
    finally:
        wb.close()


def _head(rows: Iterator[Sequence[Any]]) -> list[tuple[int, list[str]]]:
    head: list[tuple[int, list[str]]] = []
    for rownum, values in enumerate(rows, start=1):
        head.append((rownum, [_cell_text(v).strip() for v in values]))
        if rownum >= HEADER_SEARCH_ROWS:
            break
    return head


def _sheet_regex(spec: Any) -> re.Pattern[str] | None:
    rx = getattr(spec, "sheet_regex", None)
    if rx is not None or getattr(spec, "sheet", None) is None:
        return rx
    return sheet_name_regex(spec.sheet)


def _nonblank(cells: Sequence[Any]) -> bool:
    return any(v is not None and str(v).strip() for v in cells)


def _read_workbook(wb: _Workbook, spec: Any, tmp_dir: Path) -> Prepared:
    mapped = list(spec.columns.values())
    required = [spec.columns[c] for c in spec.contract.required if c in spec.columns]
    header_row = int(getattr(spec, "header_row", 1) or 1)
    names = list(wb.sheetnames)
    rx = _sheet_regex(spec)
    warnings: list[tuple[str, str]] = []
    if rx is not None:
        data = [n for n in names if rx.fullmatch(n.strip())]
        if not data:
            agreed = getattr(spec, "sheet", None) or "the agreed data sheet"
            raise Unlandable(f"The workbook has no sheet called '{agreed}' (the agreed sheet name); it has "
                             f"{len(names)} sheet(s) with other names (in any capitals).",
                             f"Put the data on a sheet named '{agreed}' (or ask the hub data team to update the "
                             "borough mapping).")
        first = data[0]
        rows = wb.rows(first)
        head = _head(rows)
        found = choose_header(head, header_row, mapped, required)
        if found is None:
            if not head:
                raise Unlandable("The workbook's data sheet is empty (no heading row and no data).",
                                 "Re-export the file from your system and send it again.")
            raise missing_columns_error(dict(head).get(header_row, head[0][1]), required,
                                        f"the data sheet, row {header_row}", agreed=agreed_headings(spec))
    else:
        first, found, head, first_head = None, None, [], None
        for name in names:
            rows = wb.rows(name)
            head = _head(rows)
            first_head = head if first_head is None else first_head
            found = choose_header(head, header_row, mapped, required)
            if found is not None:
                first = name
                break
        if first is None or found is None:
            if not any(cells for _, cells in head):
                raise Unlandable("The workbook's sheet is empty (no heading row and no data).",
                                 "Re-export the file from your system and send it again.")
            cells = dict(first_head or []).get(header_row) or (head[0][1] if head else [])
            raise missing_columns_error(cells, required, f"the first sheet, row {header_row}",
                                        agreed=agreed_headings(spec))
        if first != names[0]:
            warnings.append((f"The data was found on sheet {names.index(first) + 1} of {len(names)}, not on "
                             "the first sheet.",
                             "No action needed; putting the data on the first sheet avoids this warning."))
        data = [first] + [n for n in names if n != first and sheet_name_regex(first).fullmatch(n.strip())]
    rownum_h, headers = found
    if rownum_h != header_row:
        warnings.append((f"The column headings were found on row {rownum_h}, not row {header_row} as agreed; "
                         "the rows above them were skipped.",
                         "No action needed if those rows are titles or notes; otherwise put the headings on "
                         "the agreed row."))
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    out = tmp_dir / "sheet.csv"
    ledger = Ledger(sheets_read=0)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = _Writer(csv.writer(fh, lineterminator="\n"), width, ledger)
        for index, name in enumerate(names):
            position = f"sheet {index + 1} of {len(names)}"
            if name == first:
                writer.sheet(rows, head, rownum_h, None)
            elif name in data:
                _continuation(wb.rows(name), headers, mapped, required, header_row, writer, warnings, position)
            else:
                _other_sheet(wb.rows(name), mapped, required, header_row, ledger, warnings, position, name)
    if ledger.sheets_read > 1:
        warnings.append((f"The data continues on {ledger.sheets_read - 1} more sheet"
                         f"{'s' if ledger.sheets_read > 2 else ''}; every data sheet was read. Data row "
                         "numbers in this receipt count on across the sheets; line numbers are each sheet's own "
                         "row numbers.", "No action needed."))
    if writer.overflow:
        warnings.append((f"{writer.overflow} row(s) have values to the right of the last column heading; "
                         "those values were ignored.",
                         "Remove stray values beside the table, or add a heading for them."))
    ledger.records = writer.written
    ledger.has_control_chars = has_control_bytes(out)
    if ledger.has_control_chars:
        warnings.append(("Some cells contain control characters (such as NUL bytes); they were removed.",
                         "Re-export the file from your system; cells should hold plain text."))
    return Prepared(csv_path=out, delimiter=",", headers=headers, header_line=rownum_h, skip_lines=0,
                    has_line_column=True, source_encoding="xlsx", warnings=warnings, ledger=ledger)


class _Writer:
    """Writes data rows (cells in the first data sheet's column order, then the sheet row number) and counts
    every sheet row it is given."""

    def __init__(self, writer: Any, width: int, ledger: Ledger):
        self.writer, self.width, self.ledger = writer, width, ledger
        self.written = self.overflow = 0

    def sheet(self, rows: Iterator[Sequence[Any]], head: list[tuple[int, list[str]]], heading_row: int,
              order: list[int] | None) -> None:
        """One data sheet: ``head`` (its first rows, already read from ``rows``), then the rest of ``rows``."""
        ledger = self.ledger
        ledger.sheets_read += 1
        ledger.heading_block += heading_row
        ledger.physical += heading_row
        for rn, cells in head:
            if rn > heading_row:
                self._emit(rn, cells, order)
        if len(head) >= HEADER_SEARCH_ROWS:
            for rn, values in enumerate(rows, start=HEADER_SEARCH_ROWS + 1):
                # most cells are text: skip the type dispatch for them (9 M cells on a London night)
                self._emit(rn, [v if type(v) is str else _cell_text(v) for v in values], order)

    def _emit(self, rn: int, cells: list[str], order: list[int] | None) -> None:
        self.ledger.physical += 1
        if not any(c.strip() for c in cells):
            self.ledger.blank += 1  # wholly blank sheet rows are not data rows
            return
        width = self.width
        if order is None:
            extra = any(c.strip() for c in cells[width:])
            row = (cells[:width] + [""] * (width - len(cells)))[:width]
        else:
            used = set(order)
            extra = any(c.strip() for i, c in enumerate(cells) if i not in used)
            row = [cells[i] if 0 <= i < len(cells) else "" for i in order]
        if extra:
            self.overflow += 1
        self.writer.writerow([*row, rn])
        self.written += 1


def _continuation(rows: Iterator[Sequence[Any]], headers: list[str], mapped: list[str], required: list[str],
                  header_row: int, writer: _Writer, warnings: list[tuple[str, str]], label: str) -> None:
    """A further data sheet: its own heading row (matched to the first sheet's headings by name, in any
    order), or none (its rows continue in the first sheet's columns)."""
    head = _head(rows)
    found = choose_header(head, header_row, mapped, required)
    if found is None:
        before = writer.written
        writer.sheet(rows, head, 0, None)
        if writer.written == before:
            writer.ledger.sheets_read -= 1  # an empty continuation sheet (formatting only)
        else:
            warnings.append((f"The data continues on {label} without a heading row; its rows were read in the "
                             "columns of the first data sheet.", "Repeat the heading row at the top of every "
                             "data sheet."))
        return
    mine = [norm_header(h) for h in headers]
    theirs = [norm_header(h) for h in found[1]]
    if theirs[:len(mine)] == mine:
        writer.sheet(rows, head, found[0], None)
    elif {h for h in mine if h} <= set(theirs):
        writer.sheet(rows, head, found[0], [theirs.index(h) if h else -1 for h in mine])
    else:
        n = sum(1 for rn, cells in head if rn > found[0] and any(cells)) + sum(1 for v in rows if _nonblank(v))
        ledger = writer.ledger
        ledger.physical += found[0] + n
        ledger.heading_block += found[0]
        ledger.unread += n
        warnings.append((f"{label[0].upper()}{label[1:]} has different column headings from the first data "
                         f"sheet, so its {n:,} rows were NOT read.",
                         "Use the same column headings on every data sheet and send the file again."))


def _other_sheet(rows: Iterator[Sequence[Any]], mapped: list[str], required: list[str], header_row: int,
                 ledger: Ledger, warnings: list[tuple[str, str]], position: str, name: str) -> None:
    """A sheet that is not a data sheet: named in a warning (position and shape) if it has anything on it."""
    head = _head(rows)
    n = sum(1 for _, cells in head if any(cells)) + sum(1 for v in rows if _nonblank(v))
    if not n:
        return
    ledger.physical += n
    found = choose_header(head, header_row, mapped, required)
    if found is not None:
        heading = sum(1 for rn, cells in head if rn <= found[0] and any(cells))
        ledger.heading_block += heading
        ledger.unread += n - heading
        warnings.append((f"{position[0].upper()}{position[1:]} (name: {text_shape(name)}) has the agreed column headings but "
                         f"is not named as a data sheet, so its {n - heading:,} rows were NOT read.",
                         "Put all the data on the agreed sheet (or its continuation sheets '… (2)', '… (3)'), "
                         "or remove the extra sheet, and send the file again."))
    else:
        ledger.other_sheets += n
        warnings.append((f"{position[0].upper()}{position[1:]} (name: {text_shape(name)}) is not a data sheet; its {n:,} "
                         "non-empty rows were not read.",
                         "No action needed if it holds notes or summaries; data rows belong on the data sheet."))
