"""Open delivered workbooks safely: what kind of file it really is (an encrypted or old-format workbook, a zip
archive or a text file renamed .xlsx, a zip bomb), and which reader (python-calamine for ordinary workbooks,
openpyxl streaming for huge ones or ones holding Excel error values, which calamine reads as empty cells).

Reading the sheets into the scan's CSV is :mod:`fhub.landing.sheets`.
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fhub.landing.quarantine import Unlandable
from fhub.privacy.identifiers import scrub
from fhub.settings import LandingTuning

_log = logging.getLogger("fhub.landing")

#: Zip-bomb guards for XLSX (checked in the zip directory before anything is decompressed).
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

#: Workbooks whose worksheets expand to at most this many bytes are read with python-calamine (Rust, ~10×
#: faster than openpyxl and no per-workbook style parsing; it holds one sheet in memory). Larger ones are
#: streamed row by row with openpyxl ``read_only=True``, so memory stays bounded whatever a borough sends.
#: The default; landing passes ``LandingTuning.xlsx_fast_max_bytes`` (``FHUB_XLSX_FAST_MAX_BYTES`` at the entry
#: point; 0 = always stream).
XLSX_FAST_MAX_BYTES = LandingTuning.xlsx_fast_max_bytes


def _contains(path: Path, needle: bytes) -> bool:
    overlap = len(needle) - 1
    carry = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            if needle in carry + chunk:
                return True
            carry = chunk[-overlap:]
    return False


def check_zip(path: Path) -> None:
    """Refuse what is not an .xlsx workbook (saying what it is instead), or whose zip directory promises a
    decompression bomb. Nothing is decompressed here."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE2:
        if _contains(path, _ENCRYPTED):
            raise Unlandable("The workbook is protected with a password (encrypted), so it cannot be opened.",
                             "Remove the password (in Excel: File > Info > Protect Workbook > Encrypt with "
                             "Password, clear the password), save it and send it again.")
        raise Unlandable("The file is an older Excel workbook (.xls, Excel 97-2003), not an .xlsx workbook as "
                         "agreed.", "Open it in Excel, 'Save As' Excel Workbook (.xlsx) and send it again.")
    if not zipfile.is_zipfile(path):
        raise Unlandable("The file is not a valid Excel workbook (.xlsx), although its name says it is (it may "
                         "be a text or CSV file renamed .xlsx).",
                         "Open it in Excel and 'Save As' Excel Workbook (.xlsx), or send it as CSV if agreed.")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        total = sum(i.file_size for i in infos)
        # (ratio, part); ties on the ratio must not compare the parts themselves
        worst = max(((i.file_size / max(i.compress_size, 1), i) for i in infos), key=lambda p: p[0],
                    default=(0, None))
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
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise Unlandable("The file is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx) as "
                             "agreed.", "Open it and 'Save As' Excel Workbook (.xlsx), then send it again.")
        raise Unlandable("The file is a zip archive (a compressed folder), not an Excel workbook, although its "
                         "name ends .xlsx.",
                         "Unzip it and send the workbook (or CSV file) inside, named as agreed.")


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


def has_error_cells(path: Path) -> bool:
    """Whether any worksheet holds an Excel error value (a cell of type ``e``: ``#N/A``, ``#REF!``, …).
    Streams the worksheet XML (decompression only, no parsing)."""
    needle, carry = b't="e"', b""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with zf.open(info) as fh:
                while chunk := fh.read(1024 * 1024):
                    if needle in carry + chunk:
                        return True
                    carry = chunk[-4:]
    return False


def open_workbook(path: Path, *, keep_error_values: bool = False, fast_max_bytes: int | None = None) -> _Workbook:
    """The fast reader for workbooks whose sheets expand to at most ``fast_max_bytes`` (default
    :data:`XLSX_FAST_MAX_BYTES`), the streaming one for bigger ones.
    ``keep_error_values``: a workbook holding Excel error values is read with openpyxl, which keeps them as
    text (``#N/A``), so that a failed formula is reported as such and not as an empty cell."""
    fast = _sheet_bytes(path) <= (XLSX_FAST_MAX_BYTES if fast_max_bytes is None else fast_max_bytes)
    if fast and keep_error_values and has_error_cells(path):
        fast = False
    try:
        return _CalamineWorkbook(path) if fast else _OpenpyxlWorkbook(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure means "not a readable workbook"
        # the reader's text can quote the workbook's contents: the borough reads a template, the central team
        # finds the details on the pipeline's stderr (the exception is chained)
        _log.warning("workbook could not be opened: %s: %s", type(exc).__name__, scrub(str(exc))[0][:500])
        raise Unlandable("The workbook could not be opened: it may be damaged, or saved in a format Excel "
                         "calls 'Strict Open XML'.",
                         "Open it in Excel, 'Save As' Excel Workbook (.xlsx) and send it again.") from exc
