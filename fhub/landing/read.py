"""Read a delivered file into something DuckDB can scan: a UTF-8 CSV plus the header it found.

Nothing large is ever loaded whole into memory: other encodings are transcoded in 1 MB chunks; XLSX sheets are
written row by row into a temporary CSV (with the sheet row number as an extra last column) - read with
python-calamine when the worksheets are small (:data:`XLSX_FAST_MAX_BYTES`), streamed with openpyxl
``read_only=True`` when they are not - and zip bombs are refused from the zip directory before the workbook
is opened.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import logging
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhub.landing.quarantine import Unlandable
from fhub.privacy.identifiers import scrub, shape
from fhub.privacy.messages import agreed_name, describe_headings

_log = logging.getLogger("fhub.landing")

#: How far down a file we look for the heading row.
HEADER_SEARCH_ROWS = 30
#: Zip-bomb guards for XLSX (checked in the zip directory before anything is decompressed).
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
_CHUNK = 1024 * 1024
_CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
_UTF8_NAMES = {"utf-8", "utf-8-sig"}


def norm_header(text: str) -> str:
    """Heading text compared loosely: lower-case letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass
class Prepared:
    """A delivered file made scannable. ``csv_path`` is UTF-8 with ``delimiter``; data starts after
    ``skip_lines`` physical lines; if ``has_line_column`` the last column is the original row number."""

    csv_path: Path
    delimiter: str
    headers: list[str]
    header_line: int  # physical line / sheet row of the heading row in the delivered file
    skip_lines: int
    has_line_column: bool = False
    source_encoding: str = "utf-8"
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (reason, fix), file-level


def _dlm_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(d, repr(d))


def _score(cells: list[str], wanted: list[str]) -> int:
    exact = set(cells)
    loose = {norm_header(c) for c in cells}
    return sum(1 for w in wanted if w in exact or norm_header(w) in loose)


def choose_header(
    rows: list[tuple[int, list[str]]], configured_row: int, wanted: list[str], required: list[str]
) -> tuple[int, list[str]] | None:
    """Pick the heading row: the configured one if it has every required heading, else the first row in
    the search window that has them all. ``rows`` are (1-based row/line, cells)."""
    by_row = dict(rows)
    if configured_row in by_row and _score(by_row[configured_row], required) == len(required):
        return configured_row, by_row[configured_row]
    best = None
    for rownum, cells in rows:
        if _score(cells, required) == len(required):
            score = _score(cells, wanted)
            if best is None or score > best[0]:
                best = (score, rownum, cells)
    return (best[1], best[2]) if best else None


def missing_columns_error(
    headers: list[str], required: list[str], where: str, delimiter: str | None = None,
    agreed: list[str] | None = None,
) -> Unlandable:
    """The file's heading row lacks required columns. The message names the missing columns by their agreed
    names and describes the row it found by column position and shape only: a heading that is not agreed may
    be anything - when the heading row is missing, it is a child's record."""
    agreed = list(agreed or required)
    present = {norm_header(h) for h in headers} | set(headers)
    missing = [r for r in required if r not in present and norm_header(r) not in present]
    hints = []
    for m in missing:
        close = difflib.get_close_matches(m, [h for h in headers if h], n=1, cutoff=0.6)
        if close:
            column = headers.index(close[0]) + 1
            hints.append(f"the heading in column {column} ({shape(close[0])}) looks like a renamed '{m}'")
    blanks = sum(1 for h in headers if not str(h).strip())
    reason = (
        f"Required column(s) {', '.join(repr(m) for m in missing)} not found in the heading row ({where}). "
        f"That row holds {len(headers)} cell(s): {describe_headings(headers, agreed)}."
    )
    if hints:
        text = "; ".join(hints)
        reason += " " + text[0].upper() + text[1:] + "."
    if headers and not any(agreed_name(h, agreed) for h in headers):
        reason += (" None of its cells is an agreed heading: if that row holds data (a child's record), the "
                   "heading row is missing.")
    if blanks:
        reason += f" {blanks} heading cell(s) are blank, which often means merged heading cells."
    fix = (
        "Send the file with the agreed column headings (one heading row, no merged cells), "
        "or ask the hub data team to update the borough mapping if your system's export changed."
    )
    if delimiter:
        fix = f"Check the file is separated by {_dlm_name(delimiter)}s as agreed. " + fix
    return Unlandable(reason, fix)


def agreed_headings(spec: Any) -> list[str]:
    """Every heading the mapping names: mapped source columns and knowingly ignored ones."""
    return [*spec.columns.values(), *(getattr(spec, "ignore_columns", ()) or ())]


# ---------------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------------
def _detect_encoding(path: Path, declared: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return codecs.lookup(declared).name


def transcode(src: Path, dest: Path, encoding: str) -> None:
    """Stream ``src`` (in ``encoding``) to UTF-8 ``dest`` in 1 MB chunks; line endings kept as sent."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(src, "rb") as fin, open(dest, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                fout.write(decoder.decode(chunk).encode("utf-8"))
            fout.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        raise Unlandable(
            f"The file could not be read as {encoding} text (invalid byte at position {exc.start}).",
            "Save or export the file as UTF-8 CSV (in Excel: 'CSV UTF-8 (Comma delimited)'), "
            "or tell the hub data team which encoding your system uses.",
        ) from exc


def _head_records(path: Path, delimiter: str, limit: int) -> list[tuple[int, list[str]]]:
    """The first ``limit`` records as (physical line where the record ends, cells); decodes leniently."""
    out: list[tuple[int, list[str]]] = []
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        text = fh.read(256 * 1024)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            out.append((reader.line_num, cells))
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def prepare_csv(path: Path, spec: Any, tmp_dir: Path, force_encoding: str | None = None) -> Prepared:
    declared = force_encoding or str(getattr(spec, "encoding", None) or "utf-8")
    try:
        encoding = force_encoding or _detect_encoding(path, declared)
    except LookupError as exc:
        raise Unlandable(f"Unknown text encoding '{declared}' in the borough mapping.",
                         "Ask the hub data team to fix the encoding in the borough mapping.") from exc
    warnings: list[tuple[str, str]] = []
    csv_path = path
    if encoding not in _UTF8_NAMES:
        csv_path = tmp_dir / "transcoded.csv"
        transcode(path, csv_path, encoding)
        if codecs.lookup(declared).name != encoding and not force_encoding:
            warnings.append((f"The file is {encoding} text, not {declared} as agreed; it was converted.",
                             "No action needed, but exporting as UTF-8 avoids surprises."))
    if csv_path.stat().st_size == 0 or not _has_content(csv_path):
        raise Unlandable("The file is empty (no heading row and no data).",
                         "Re-export the file from your system and send it again.")
    delimiter = str(getattr(spec, "delimiter", ",") or ",")
    mapped = list(spec.columns.values())
    required = [spec.columns[c] for c in spec.contract.required if c in spec.columns]
    header_row = int(getattr(spec, "header_row", 1) or 1)
    records = _head_records(csv_path, delimiter, HEADER_SEARCH_ROWS)
    # record index → (line the record ends on); the configured header_row is a record number
    rows = [(i + 1, cells) for i, (_, cells) in enumerate(records)]
    found = choose_header(rows, header_row, mapped, required)
    if found is None:
        for other in _CANDIDATE_DELIMITERS:
            if other == delimiter:
                continue
            alt = _head_records(csv_path, other, HEADER_SEARCH_ROWS)
            if choose_header([(i + 1, c) for i, (_, c) in enumerate(alt)], header_row, mapped, required):
                raise Unlandable(
                    f"The file is separated by {_dlm_name(other)}s, but the agreed format uses "
                    f"{_dlm_name(delimiter)}s, so its columns could not be told apart.",
                    f"Export the file with {_dlm_name(delimiter)}s between values (or ask the hub data team "
                    f"to change the borough mapping to {_dlm_name(other)}s).",
                )
        headers = records[header_row - 1][1] if len(records) >= header_row else (records[0][1] if records else [])
        raise missing_columns_error(headers, required, f"row {header_row}", delimiter, agreed_headings(spec))
    rec_no, headers = found
    header_line = records[rec_no - 1][0]
    if rec_no != header_row:
        warnings.append((
            f"The column headings were found on row {rec_no}, not row {header_row} as agreed; "
            f"the rows above them were skipped.",
            "No action needed if those rows are titles or notes; otherwise send the headings on the agreed row.",
        ))
    return Prepared(csv_path=csv_path, delimiter=delimiter, headers=headers, header_line=header_line,
                    skip_lines=header_line, source_encoding=encoding, warnings=warnings)


def _has_content(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    return bool(head.replace(codecs.BOM_UTF8, b"").strip())


# ---------------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------------
def check_zip(path: Path) -> None:
    """Refuse files that are not zip containers, or whose directory promises a decompression bomb."""
    if not zipfile.is_zipfile(path):
        raise Unlandable("The file is not a valid Excel workbook (.xlsx), although its name says it is.",
                         "Open it in Excel and 'Save As' Excel Workbook (.xlsx), or send it as CSV if agreed.")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        worst = max(((i.file_size / max(i.compress_size, 1)), i) for i in infos) if infos else (0, None)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise Unlandable(
            f"The workbook would expand to {total / 1e9:.1f} GB when opened (limit "
            f"{MAX_XLSX_UNCOMPRESSED / 1e9:.1f} GB); it was not opened, to protect the server.",
            "Send the data as CSV, or split it into smaller workbooks.",
        )
    ratio, info = worst
    if info is not None and info.file_size > 10 * 1024 * 1024 and ratio > MAX_XLSX_RATIO:
        raise Unlandable(
            f"The workbook looks like a 'zip bomb': one of its parts expands {ratio:.0f}-fold to "
            f"{info.file_size / 1e6:.0f} MB. It was not opened, to protect the server.",
            "Re-save the workbook from Excel (no hidden padding), or send the data as CSV.",
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Workbooks whose worksheets expand to at most this many bytes are read with python-calamine (Rust, ~10×
#: faster than openpyxl and no per-workbook style parsing; it holds one sheet in memory). Larger ones are
#: streamed row by row with openpyxl ``read_only=True``, so memory stays bounded whatever a borough sends.
#: ``FHUB_XLSX_FAST_MAX_BYTES`` overrides (0 = always stream).
XLSX_FAST_MAX_BYTES = int(os.environ.get("FHUB_XLSX_FAST_MAX_BYTES", 64 * 1024 * 1024))


class _Workbook:
    """The little the landing needs from a workbook: sheet names, and each sheet's rows from row 1 as value
    tuples with absolute columns (column A first). Empty cells are ``None`` or ``""``."""

    sheetnames: list[str]

    def rows(self, name: str) -> Iterator[Sequence[Any]]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class _CalamineWorkbook(_Workbook):
    """python-calamine. Differences from openpyxl: an Excel error value (``#N/A``) reads as an empty cell."""

    def __init__(self, path: Path):
        import python_calamine

        self._wb = python_calamine.CalamineWorkbook.from_path(str(path))
        self.sheetnames = list(self._wb.sheet_names)

    def rows(self, name: str) -> Iterator[Sequence[Any]]:
        # skip_empty_area=False: rows and columns start at A1 (as in openpyxl), so row numbers are sheet rows
        return iter(self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False))

    def close(self) -> None:
        self._wb.close()


class _OpenpyxlWorkbook(_Workbook):
    """openpyxl ``read_only=True``: streams rows, for workbooks too large to hold in memory."""

    def __init__(self, path: Path):
        import openpyxl  # local import: only needed for large workbooks

        self._wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        self.sheetnames = list(self._wb.sheetnames)

    def rows(self, name: str) -> Iterator[Sequence[Any]]:
        return self._wb[name].iter_rows(values_only=True)

    def close(self) -> None:
        self._wb.close()


def _sheet_bytes(path: Path) -> int:
    """Uncompressed size of the worksheets and shared strings (from the zip directory; nothing is inflated)."""
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist()
                   if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")


def open_workbook(path: Path) -> _Workbook:
    """The fast reader for ordinary workbooks, the streaming one for big ones (:data:`XLSX_FAST_MAX_BYTES`)."""
    fast = _sheet_bytes(path) <= XLSX_FAST_MAX_BYTES
    try:
        return _CalamineWorkbook(path) if fast else _OpenpyxlWorkbook(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure means "not a readable workbook"
        # the reader's text can quote the workbook's contents: the borough reads a template, the central team
        # finds the details on the pipeline's stderr (the exception is chained)
        _log.warning("workbook could not be opened: %s: %s", type(exc).__name__, scrub(str(exc))[0][:500])
        raise Unlandable("The workbook could not be opened by the Excel reader (it may be damaged, protected "
                         "with a password or saved in an older format).",
                         "Open it in Excel, 'Save As' Excel Workbook (.xlsx) and send it again.") from exc


def prepare_xlsx(path: Path, spec: Any, tmp_dir: Path) -> Prepared:
    check_zip(path)
    wb = open_workbook(path)
    try:
        return _stream_sheet(wb, path, spec, tmp_dir)
    finally:
        wb.close()


def _stream_sheet(wb: _Workbook, path: Path, spec: Any, tmp_dir: Path) -> Prepared:
    mapped = list(spec.columns.values())
    required = [spec.columns[c] for c in spec.contract.required if c in spec.columns]
    header_row = int(getattr(spec, "header_row", 1) or 1)
    wanted_sheet = getattr(spec, "sheet", None)
    warnings: list[tuple[str, str]] = []
    names = list(wb.sheetnames)
    if wanted_sheet is not None and wanted_sheet not in names:
        raise Unlandable(f"The workbook has no sheet called '{wanted_sheet}' (the agreed sheet name); it has "
                         f"{len(names)} sheet(s) with other names.",
                         f"Put the data on a sheet named '{wanted_sheet}' (or ask the hub data team to update "
                         "the borough mapping).")
    candidates = [wanted_sheet] if wanted_sheet is not None else names
    first_head: list[tuple[int, list[str]]] = []
    for sheet_name in candidates:
        rows_iter = wb.rows(sheet_name)
        head: list[tuple[int, list[str]]] = []
        for rownum, values in enumerate(rows_iter, start=1):
            head.append((rownum, [_cell_text(v).strip() for v in values]))
            if rownum >= HEADER_SEARCH_ROWS:
                break
        if sheet_name == candidates[0]:
            first_head = head
        found = choose_header(head, header_row, mapped, required)
        if found is None:
            if sheet_name == candidates[-1]:
                if not first_head:
                    raise Unlandable("The workbook's sheet is empty (no heading row and no data).",
                                     "Re-export the file from your system and send it again.")
                first_cells = dict(first_head).get(header_row, first_head[0][1])
                sheet = f"sheet '{wanted_sheet}'" if wanted_sheet is not None else "the first sheet"
                raise missing_columns_error(first_cells, required, f"{sheet}, row {header_row}",
                                            agreed=agreed_headings(spec))
            continue
        rownum_h, headers = found
        if sheet_name != names[0] and wanted_sheet is None:
            warnings.append((f"The data was found on sheet {names.index(sheet_name) + 1} of {len(names)}, not on "
                             "the first sheet.",
                             "No action needed; putting the data on the first sheet avoids this warning."))
        if rownum_h != header_row:
            warnings.append((
                f"The column headings were found on row {rownum_h}, not row {header_row} as agreed; "
                "the rows above them were skipped.",
                "No action needed if those rows are titles or notes; otherwise put the headings on the agreed row.",
            ))
        width = len(headers)
        while width and not headers[width - 1]:
            width -= 1
        headers = headers[:width]
        out = tmp_dir / "sheet.csv"
        overflow = 0
        with open(out, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")

            def emit(rn: int, cells: list[str], width: int = width, writer: Any = writer) -> None:
                nonlocal overflow
                if not any(c.strip() for c in cells):
                    return  # wholly blank sheet rows are not data rows
                if any(c.strip() for c in cells[width:]):
                    overflow += 1
                row = (cells[:width] + [""] * (width - len(cells)))[:width]
                writer.writerow([*row, rn])

            for rn, cells in head:
                if rn > rownum_h:
                    emit(rn, cells)
            if len(head) >= HEADER_SEARCH_ROWS:
                for rn, values in enumerate(rows_iter, start=HEADER_SEARCH_ROWS + 1):
                    # most cells are text: skip the type dispatch for them (9 M cells on a London night)
                    emit(rn, [v if type(v) is str else _cell_text(v) for v in values])
        if overflow:
            warnings.append((f"{overflow} row(s) have values to the right of the last column heading; "
                             "those values were ignored.",
                             "Remove stray values beside the table, or add a heading for them."))
        return Prepared(csv_path=out, delimiter=",", headers=headers, header_line=rownum_h, skip_lines=0,
                        has_line_column=True, source_encoding="xlsx", warnings=warnings)
    raise AssertionError("unreachable")
