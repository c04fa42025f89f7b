"""The hostile-input catalogue: each case writes its fixture by code and states the expected outcome.

``outcome`` is one of ``quarantined`` (whole file refused; ``message`` is in the reason), ``rejected`` (file
landed, the listed rows rejected with ``message`` in the reason for ``column``), ``warned`` (landed with a
file- or row-level warning containing ``message``) or ``landed`` (clean). ``docs/bad-input-catalogue.md`` is
generated from this list (see test_catalogue.py), so the table cannot drift from the tests.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.badinput.fixtures import HEADERS, csv_text, good_row

NAME = "hackney_contacts_2024-05.csv"


@dataclass
class Case:
    id: str
    title: str
    outcome: str  # quarantined | rejected | warned | landed | skipped
    message: str
    write: Callable[[Path], Path]  # folder → written file
    rows: list[int] = field(default_factory=list)  # rejected data rows (1-based)
    column: str | None = None
    spec: dict | None = None  # mapping overrides for this case


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


def _dup_conflict() -> str:
    r = rows(5)
    r[3][0] = r[1][0]
    r[3][5] = "SP" if r[1][5] == "IF" else "IF"
    return csv_text(r)


CASES: list[Case] = [
    Case("clean", "A clean file", "landed", "", _text(NAME, lambda: csv_text(rows()))),
    Case("wrong_delimiter", "Semicolons instead of the agreed commas", "quarantined", "separated by semicolons",
         _text(NAME, lambda: csv_text(rows(), delim=";"))),
    Case("utf8_bom", "UTF-8 with a byte-order mark", "landed", "",
         _bytes(NAME, lambda: codecs.BOM_UTF8 + csv_text(rows()).encode())),
    Case("cp1252", "Windows-1252 text (£, é) declared as UTF-8", "warned", "read as Windows-1252",
         _bytes(NAME, lambda: csv_text([[*good_row(1)[:7], "Café £5 group", *good_row(1)[8:]]]).encode("cp1252"))),
    Case("utf16", "UTF-16 with BOM", "warned", "utf-16",
         _bytes(NAME, lambda: csv_text(rows()).encode("utf-16"))),
    Case("crlf", "Windows line endings (CRLF)", "landed", "", _text(NAME, lambda: csv_text(rows(), eol="\r\n"))),
    Case("missing_required", "A required column is missing", "quarantined", "'ContactDate' not found",
         _text(NAME, lambda: csv_text([r[:8] + r[9:] for r in rows()], headers=HEADERS[:8] + HEADERS[9:]))),
    Case("extra_column", "An unknown extra column", "warned", "not part of the agreed format",
         _text(NAME, lambda: csv_text([[*r, "x"] for r in rows()], headers=[*HEADERS, "Worker"]))),
    Case("renamed_column", "A required column renamed", "quarantined", "looks like a renamed 'ContactDate'",
         _text(NAME, lambda: csv_text(rows(), headers=[*HEADERS[:8], "ContactDates", "Attended"]))),
    Case("respaced_heading", "Heading with different spacing/capitals", "warned", "same letters",
         _text(NAME, lambda: csv_text(rows(), headers=[*HEADERS[:8], "Contact Date", "Attended"]))),
    Case("wrong_type_bool", "Not a yes/no value", "rejected", "not a yes/no value", _text(NAME, _with(2, 9, "maybe")),
         rows=[2], column="Attended"),
    Case("invalid_date", "Impossible date 31/02", "rejected", "not a date in the agreed format",
         _text(NAME, _with(3, 8, "31/02/2024")), rows=[3], column="ContactDate"),
    Case("excel_serial", "Excel serial number in a date column", "warned", "Excel serial number",
         _text(NAME, _with(1, 8, "45420"))),
    Case("us_date", "Month/day order (ambiguous day/month)", "rejected", "month/day order",
         _text(NAME, _with(2, 8, "05/13/2024")), rows=[2], column="ContactDate"),
    Case("future_date", "A date in the future", "rejected", "in the future",
         _text(NAME, _with(4, 8, "01/01/2031")), rows=[4], column="ContactDate"),
    Case("ancient_date", "A date before 1990", "rejected", "before 1990", _text(NAME, _with(4, 8, "01/01/1901")),
         rows=[4], column="ContactDate"),
    Case("invalid_code", "A code not in the agreed list", "rejected", "not one of the agreed codes",
         _text(NAME, _with(5, 5, "ZZ")), rows=[5], column="Service"),
    Case("unknown_hub", "A hub that does not exist", "rejected", "not a known family hub",
         _text(NAME, _with(1, 3, "HAC-H99")), rows=[1], column="HubCode"),
    Case("other_borough_hub", "Borough in the file name ≠ borough in the content", "quarantined",
         "another borough's data",
         _text(NAME, lambda: csv_text([[*r[:3], "CAM-H01", *r[4:]] for r in rows()]))),
    Case("exact_duplicate", "Exact duplicate rows", "rejected", "exact copy of row 2",
         _text(NAME, lambda: csv_text([*rows(3), good_row(2)])), rows=[4], column="ContactRef"),
    Case("duplicate_id_conflict", "Same id, different content", "rejected", "appears in 2 rows with different details",
         _text(NAME, _dup_conflict), rows=[2, 4], column="ContactRef"),
    Case("empty_file", "An empty file", "quarantined", "The file is empty", _text(NAME, lambda: "")),
    Case("header_only", "Headings but no rows (a nil return: no activity this period)", "warned",
         "treated as a nil return (no activity) for 2024-05", _text(NAME, lambda: csv_text([]))),
    Case("truncated_last_line", "Truncated last line", "rejected", "values but the file has 10 columns",
         _text(NAME, lambda: csv_text(rows(4)) + "C9,P9,F9,HAC-H01,hub"), rows=[5]),
    Case("unterminated_quote", "Unterminated quote", "quarantined", "quotation mark is not closed",
         _text(NAME, lambda: csv_text(rows(2)) + 'C9,"P9,F9,HAC-H01,hub,IF,direct,,01/05/2024,Y\n'
               + ",".join(good_row(3)) + "\n")),
    Case("zip_bomb", "A zip-bomb XLSX", "quarantined", "zip bomb", _zip_bomb, spec=XLSX_SPEC),
    Case("fake_xlsx", "A CSV renamed to .xlsx", "quarantined", "not a valid Excel workbook",
         _text(XLSX_NAME, lambda: csv_text(rows())), spec=XLSX_SPEC),
    Case("xlsx_header_row3", "XLSX with a title above the headings", "warned", "found on row 3",
         _xlsx(XLSX_NAME, [("Contacts", [["Hackney contacts May 2024"], [], HEADERS, *rows()])]), spec=XLSX_SPEC),
    Case("xlsx_several_sheets", "XLSX with the data on the second sheet", "warned", "on sheet 2 of 2",
         _xlsx(XLSX_NAME, [("Notes", [["read me"]]), ("Data", [HEADERS, *rows()])]), spec=XLSX_SPEC),
    Case("xlsx_merged_header", "XLSX with merged heading cells", "quarantined", "merged heading cells",
         _xlsx(XLSX_NAME, [("Contacts", [["Contact", None, *HEADERS[2:]], *rows()])], merge="A1:B1"),
         spec=XLSX_SPEC),
    Case("bad_name_traversal", "File name with ../ style characters", "quarantined", "does not match any agreed",
         _text("..%2F..%2Fetc hackney contacts é.csv", lambda: csv_text(rows()))),
    Case("sql_metachar_heading", "Column heading with SQL metacharacters", "warned", "not part of the agreed format",
         _text(NAME, lambda: csv_text([[*r, "1"] for r in rows()],
                                      headers=[*HEADERS, 'x"; drop table raw.hub_contacts; --']))),
    Case("formula_cells", "Cells beginning with = + - @", "warned", "treat as a formula",
         _text(NAME, _with(2, 7, "=HYPERLINK(\"http://x\")"))),
    Case("nhs_number_column", "A column of NHS numbers", "warned", "holds personal details",
         _text(NAME, lambda: csv_text([[*r, "943 476 5919"] for r in rows()], headers=[*HEADERS, "NHS Number"]))),
    Case("names_postcode_columns", "Name and postcode columns", "warned", "was removed; it was not stored",
         _text(NAME, lambda: csv_text([[*r, "Jane Doe", "E8 1DY"] for r in rows()],
                                      headers=[*HEADERS, "Child Name", "Postcode"]))),
    Case("nhs_number_in_text", "An NHS number inside a free-text column", "warned", "looked like an NHS number",
         _text(NAME, _with(3, 7, "ref 943 476 5919"))),
    Case("nhs_number_as_contact_id", "An NHS number used as the contact id", "rejected", "looks like an NHS number",
         _text(NAME, _with(2, 0, "9434765919")), rows=[2], column="ContactRef"),
    Case("postcode_in_text", "A full postcode in free text", "warned", "looked like a full postcode",
         _text(NAME, _with(1, 7, "Hall, E8 1DY"))),
    Case("upn_in_text", "A UPN in free text", "warned", "looked like a UPN", _text(NAME, _with(1, 7, "A123456789012"))),
    Case("missing_required_value", "A required value left empty", "rejected", "is empty",
         _text(NAME, _with(3, 1, "")), rows=[3], column="ClientID"),
    Case("too_many_fields", "A separator inside an unquoted value", "rejected", "too many",
         _text(NAME, lambda: csv_text(rows(2)) + "C3,P3,F3,HAC-H01,hub,IF,direct,Smith, Jones,01/05/2024,Y\n"),
         rows=[3]),
]
