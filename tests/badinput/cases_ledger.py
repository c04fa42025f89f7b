"""Catalogue cases of issue 14 — nothing silently lost: every sheet, every period, every resubmission, every
cell. Each goes through the real landing (``land_all``) in ``test_catalogue.py`` like the rest of
:mod:`tests.badinput.cases`."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

from tests.badinput.casekit import XLSX_NAME, XLSX_SPEC, Case, _bytes, _text, _with, _xlsx, rows
from tests.badinput.fixtures import (
    ASSESSMENT_HEADERS,
    ASSESSMENTS_SPEC,
    EYFSP_FULL_SPEC,
    EYFSP_HEADERS,
    HEADERS,
    assessment_row,
    csv_text,
    eyfsp_row,
    good_row,
)

MAY, JUNE = "hackney_contacts_2024-05.csv", "hackney_contacts_2024-06.csv"
ASSESS = "hackney_assessments_2024-05.csv"
EYFSP = "hackney_eyfsp_2023-24.csv"
SHEET_SPEC = {**XLSX_SPEC, "sheet": "Data"}


def _assess(i: int, col: int, value: str) -> Callable[[Path], Path]:
    def make() -> str:
        r = [assessment_row(n) for n in range(1, 6)]
        r[i - 1][col] = value
        return csv_text(r, ASSESSMENT_HEADERS)
    return _text(ASSESS, make)


def _number_case(cid: str, title: str, value: str, message: str) -> Case:
    return Case(cid, title, "rejected", message, _assess(3, 6, value), rows=[3], column="AgeMonths",
                extra_specs=[ASSESSMENTS_SPEC])


def _earlier(name: str, make: Callable[[], str]) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / name).write_text(make(), encoding="utf-8")
    return write


def _symlink(folder: Path) -> Path:
    target = folder.parent / "elsewhere.csv"
    target.write_text(csv_text(rows()), encoding="utf-8")
    link = folder / MAY
    os.symlink(target, link)
    return link


def _encrypted(folder: Path) -> Path:
    import openpyxl
    from msoffcrypto.format.ooxml import OOXMLFile

    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    for r in [HEADERS, *rows()]:
        wb.active.append(r)
    plain, out = io.BytesIO(), io.BytesIO()
    wb.save(plain)
    plain.seek(0)
    OOXMLFile(plain).encrypt("secret", out)
    p = folder / XLSX_NAME
    p.write_bytes(out.getvalue())
    return p


def _zip_not_workbook(folder: Path) -> Path:
    import zipfile

    p = folder / XLSX_NAME
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hackney_contacts_2024-05.csv", csv_text(rows()))
    return p


def _eyfsp(make: Callable[[], str]) -> Callable[[Path], Path]:
    return _text(EYFSP, make)


def _eyfsp_rows(n: int = 6) -> list[list[str]]:
    return [eyfsp_row(i) for i in range(1, n + 1)]


def _elg_empty() -> str:
    r = _eyfsp_rows()
    for row in r:
        row[3 + 13] = ""  # People, culture and communities: empty for every child
    return csv_text(r, EYFSP_HEADERS)


def _elg_retyped() -> str:
    headers = [h.replace("culture and communities", "culture & communities") for h in EYFSP_HEADERS]
    return csv_text(_eyfsp_rows(), headers)


def _born_after() -> str:
    r = _eyfsp_rows(4)
    r[2][2] = "01/09/2024"  # born after the 2023/24 profile was completed
    return csv_text(r, EYFSP_HEADERS)


def _repeated_heading() -> str:
    return csv_text(rows(3)) + ",".join(HEADERS) + "\n" + "".join(",".join(r) + "\n" for r in
                                                                   [good_row(i) for i in range(4, 7)])


def _blank_lines() -> str:
    text = csv_text(rows(4))
    lines = text.splitlines(keepends=True)
    return "".join(lines[:3]) + "\n" + "," * 9 + "\n" + "".join(lines[3:]) + "\n\n"


def _quoted_breaks() -> str:
    r = rows(3)
    r[1][7] = "Partner\non two lines"
    return csv_text(r)


def _short_row() -> str:
    return csv_text(rows(3)) + "C9,P9,F9,HAC-H01,hub\n" + ",".join(good_row(5)) + "\n"


def _other_period_row() -> str:
    r = rows(5)
    r[3][8] = "20/07/2024"  # July, in May's file: more than the 7 days' tolerance outside
    return csv_text(r)


def _control_heading() -> bytes:
    return csv_text(rows(), headers=[*HEADERS[:7], "Part\x00ner", *HEADERS[8:]]).encode()


LEDGER_CASES: list[Case] = [
    # every sheet
    Case("xlsx_rows_on_two_sheets", "Rows continuing on a second sheet ('Data (2)')", "warned",
         "The data continues on 1 more sheet",
         _xlsx(XLSX_NAME, [("Data", [HEADERS, *rows(4)]), ("Data (2)", [HEADERS, *(good_row(i) for i in range(5, 9))])]),
         spec=SHEET_SPEC, landed_rows=8, ledger={"sheets_read": 2, "lines_heading_block": 2, "lines_unexplained": 0}),
    Case("xlsx_sheet_name_capitals", "The agreed sheet name in other capitals ('DATA')", "landed", "",
         _xlsx(XLSX_NAME, [("DATA", [HEADERS, *rows()])]), spec=SHEET_SPEC, landed_rows=5),
    Case("xlsx_notes_sheet", "A notes sheet beside the data sheet", "warned", "is not a data sheet",
         _xlsx(XLSX_NAME, [("Data", [HEADERS, *rows()]), ("Read me", [["Author: Jo Bloggs"], ["Version 3"]])]),
         spec=SHEET_SPEC, not_message="Read me", ledger={"lines_other_sheets": 2, "lines_unexplained": 0}),
    Case("xlsx_data_on_unagreed_sheet", "Rows with the agreed headings on a sheet not named as agreed (unexplained: the scope is withheld)",
         "warned",
         "were NOT read",
         _xlsx(XLSX_NAME, [("Data", [HEADERS, *rows(3)]), ("Extra", [HEADERS, *(good_row(i) for i in range(4, 7))])]),
         spec=SHEET_SPEC, landed_rows=3, ledger={"lines_unexplained": 3}),
    # every period
    Case("wrong_period_file", "May's rows under June's file name", "held", "This looks like the 2024-05 file",
         _text(JUNE, lambda: csv_text(rows()))),
    Case("row_outside_period", "A row dated outside the month in the file name", "rejected",
         "outside 2024-05, the period in the file name", _text(MAY, _other_period_row), rows=[4],
         column="ContactDate"),
    # every resubmission
    Case("resubmission_drops_half", "A resubmission with half the rows of the delivery it replaces", "held",
         "would withdraw 4 of the 8 records", _text(MAY, lambda: csv_text(rows(4))),
         before=_earlier(MAY, lambda: csv_text(rows(8)))),
    Case("duplicate_under_other_period", "Identical bytes under another month's name", "duplicate",
         "so contacts for 2024-06 is still missing", _text(JUNE, lambda: csv_text(rows())),
         before=_earlier(MAY, lambda: csv_text(rows()))),
    # every file
    Case("symlink", "A symbolic link in the borough's folder", "refused", "symbolic link", _symlink),
    Case("temporary_file", "A spreadsheet program's temporary file ('~$…')", "ignored", "hidden or temporary",
         _text("~$" + MAY, lambda: csv_text(rows()))),
    Case("partial_file", "A file still being copied ('.part')", "ignored", "still being copied",
         _text(MAY + ".part", lambda: csv_text(rows()))),
    Case("name_trailing_newline", "A file name matching the pattern but for a trailing line break", "quarantined",
         "does not match any agreed", _text(MAY + "\n", lambda: csv_text(rows()))),
    Case("name_fullwidth_digits", "A file name with full-width digits (２０２４)", "quarantined",
         "does not match any agreed", _text("hackney_contacts_２０２４-０５.csv", lambda: csv_text(rows()))),
    # every cell
    _number_case("integer_nan", "NaN in an integer column", "NaN", "is not a whole number"),
    _number_case("integer_infinity", "inf in an integer column", "inf", "is not a whole number"),
    _number_case("integer_1e30", "1e30 in an integer column", "1e30", "far too large"),
    _number_case("integer_20_digits", "A 20-digit number in an integer column", "12345678901234567890",
                 "far too large"),
    _number_case("integer_decimal", "A decimal in an integer column (not rounded)", "3.5", "has a decimal part"),
    _number_case("integer_text", "Text in an integer column", "thirty", "is not a whole number"),
    Case("utf16_without_bom", "UTF-16 text without a byte-order mark", "warned", "utf-16-le",
         _bytes(MAY, lambda: csv_text(rows()).encode("utf-16-le"))),
    Case("nul_in_heading", "A NUL byte in a column heading", "warned", "contained control characters",
         _bytes(MAY, _control_heading)),
    Case("nul_in_value", "A NUL byte inside a value", "warned", "control characters",
         _text(MAY, _with(2, 7, "Hall\x00 B"))),
    Case("sheet_error_required", "#N/A in a required column", "rejected", "spreadsheet error value",
         _text(MAY, _with(2, 1, "#N/A")), rows=[2], column="ClientID"),
    Case("sheet_error_optional", "#REF! in an optional column", "warned", "was a spreadsheet error value",
         _text(MAY, _with(2, 7, "#REF!"))),
    Case("xlsx_error_cell", "An Excel error cell (#N/A) in a workbook", "rejected", "spreadsheet error value",
         _xlsx(XLSX_NAME, [("Data", [HEADERS, *rows(2), [*good_row(3)[:8], "#N/A", "Y"]])]), spec=SHEET_SPEC,
         rows=[3], column="ContactDate"),
    Case("two_digit_year", "A date with a two-digit year", "rejected", "two-digit year",
         _text(MAY, _with(2, 8, "03/05/24")), rows=[2], column="ContactDate"),
    Case("repeated_heading_row", "The heading row repeated mid-file", "warned", "Row 4 repeats the heading row",
         _text(MAY, _repeated_heading), landed_rows=6, ledger={"lines_repeated_heading": 1, "lines_unexplained": 0}),
    Case("footer_line", "A footer line after the data ('Total: 5 records')", "warned", "is a footer line",
         _text(MAY, lambda: csv_text(rows()) + "Total: 5 records\n"), landed_rows=5,
         ledger={"lines_footer": 1, "lines_physical": 7, "lines_unexplained": 0}),
    Case("blank_lines", "Empty lines and a line of separators only", "landed", "", _text(MAY, _blank_lines),
         landed_rows=4, ledger={"lines_blank": 4, "lines_physical": 9, "lines_unexplained": 0}),
    Case("quoted_line_break", "A value with a line break inside quotes", "landed", "", _text(MAY, _quoted_breaks),
         landed_rows=3, ledger={"lines_continuation": 1, "lines_physical": 5, "lines_unexplained": 0}),
    Case("short_row_count", "A short row (5 of 10 values)", "rejected", "The row has 5 values", _text(MAY, _short_row),
         rows=[4]),
    Case("codes_in_other_capitals", "Agreed codes in other capitals ('if', 'y', 'hac-h01')", "landed", "",
         _text(MAY, lambda: csv_text([[r[0], r[1], r[2], "hac-h01", r[4], r[5].lower(), *r[6:9], r[9].lower()]
                                      for r in rows()]))),
    Case("password_protected", "A password-protected (encrypted) workbook", "quarantined",
         "protected with a password", _encrypted, spec=XLSX_SPEC),
    Case("zip_renamed_xlsx", "A zip archive renamed .xlsx", "quarantined", "zip archive", _zip_not_workbook,
         spec=XLSX_SPEC),
    Case("duplicate_heading", "The same heading on two columns", "warned", "have the same heading",
         _text(MAY, lambda: csv_text([[*r, "x"] for r in rows()], headers=[*HEADERS, "Partner"])),
         not_message="not part of the agreed format"),
    Case("near_miss_optional_heading", "An optional heading re-typed ('&' for 'and')", "warned",
         "has a similar heading", _eyfsp(_elg_retyped), extra_specs=[EYFSP_FULL_SPEC],
         not_message="culture &", check="elg_judgements_present"),
    Case("elg_empty_for_cohort", "An ELG column empty for the whole cohort (its EYFSP figures withheld)", "warned",
         "empty for all 6 children", _eyfsp(_elg_empty), extra_specs=[EYFSP_FULL_SPEC],
         check="elg_judgements_present"),
    Case("born_after_assessment", "A pupil born after the assessment", "rejected", "cannot have been assessed",
         _eyfsp(_born_after), rows=[3], column="Born", extra_specs=[EYFSP_FULL_SPEC]),
]
