"""Read a delivered file into something DuckDB can scan: a UTF-8 CSV plus the header it found, and the
file's own line count for the ledger (:mod:`fhub.landing.ledger`).

Nothing large is ever loaded whole into memory: other encodings (including UTF-16 without a byte-order mark,
recognised by its zero bytes) are transcoded in 1 MB chunks. The scan never reads a delivered file by its own
name (a name is the borough's text, and DuckDB would read ``[``, ``*`` or ``?`` in it as a pattern): it reads a
link to it in the file's temporary folder. Workbooks: :mod:`fhub.landing.workbook` (what the file really is,
which reader) and :mod:`fhub.landing.sheets` (XLSX sheets are written row by row into a temporary CSV with the
sheet row number as an extra last column).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhub.landing.ledger import Ledger, count_csv_lines
from fhub.landing.quarantine import Unlandable
from fhub.privacy.identifiers import shape
from fhub.privacy.messages import agreed_name, describe_headings

#: How far down a file we look for the heading row.
HEADER_SEARCH_ROWS = 30
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
    #: the file's own count of its lines / sheet rows (the group pass adds what the scan found)
    ledger: Ledger = field(default_factory=Ledger)


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
        head = fh.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    without_bom = utf16_without_bom(head)
    if without_bom and codecs.lookup(declared).name not in ("utf-16", "utf-16-le", "utf-16-be"):
        return without_bom
    return codecs.lookup(declared).name


def utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a byte-order mark, told by its zero bytes: ASCII text in UTF-16 has a zero byte
    in every second position (the odd ones little-endian, the even ones big-endian) and none in the others."""
    n = len(head) // 2
    if n < 8:
        return None
    even, odd = head[0:2 * n:2].count(0), head[1:2 * n:2].count(0)
    if odd >= 0.4 * n and even <= 0.05 * n:
        return "utf-16-le"
    if even >= 0.4 * n and odd <= 0.05 * n:
        return "utf-16-be"
    return None


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
    csv_path = tmp_dir / "delivered.csv"  # the scan reads the file by this name, never by the borough's
    if encoding not in _UTF8_NAMES:
        csv_path = tmp_dir / "transcoded.csv"
        transcode(path, csv_path, encoding)
        if codecs.lookup(declared).name != encoding and not force_encoding:
            warnings.append((f"The file is {encoding} text, not {declared} as agreed; it was converted.",
                             "No action needed, but exporting as UTF-8 avoids surprises."))
    else:
        csv_path.unlink(missing_ok=True)
        try:
            os.link(path, csv_path)
        except OSError:
            csv_path.symlink_to(Path(path).resolve())
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
    ledger = count_csv_lines(csv_path, header_line)
    if ledger.has_control_chars:
        warnings.append(("Some values contain control characters (such as NUL bytes); they were removed.",
                         "Re-export the file from your system; values should be plain text."))
    return Prepared(csv_path=csv_path, delimiter=delimiter, headers=headers, header_line=header_line,
                    skip_lines=header_line, source_encoding=encoding, warnings=warnings, ledger=ledger)


def __getattr__(name: str) -> Any:
    """The workbook readers moved to :mod:`fhub.landing.workbook` and :mod:`fhub.landing.sheets`."""
    if name == "prepare_xlsx":
        from fhub.landing.sheets import prepare_xlsx

        return prepare_xlsx
    if name in ("open_workbook", "check_zip", "_cell_text", "_CalamineWorkbook", "_OpenpyxlWorkbook",
                "XLSX_FAST_MAX_BYTES"):
        from fhub.landing import workbook

        return getattr(workbook, name)
    raise AttributeError(name)


def _has_content(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    return bool(head.replace(codecs.BOM_UTF8, b"").strip())
