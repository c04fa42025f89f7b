"""The hostile-input catalogue: each case writes its fixture by code and states the expected outcome.

``outcome`` is one of ``quarantined`` (whole file refused; ``message`` is in the reason), ``rejected`` (file
landed, the listed rows rejected with ``message`` in the reason for ``column``), ``warned`` (landed with a
file- or row-level warning containing ``message``), ``landed`` (clean), ``held`` (stored, not in use),
``duplicate`` (bytes received before under another period's name), ``ignored`` or ``refused`` (not read; a
receipt line says so). The cases of issue 14 (nothing silently lost) are in :mod:`tests.badinput.cases_ledger`. ``docs/bad-input-catalogue.md`` is
generated from this list (see test_catalogue.py), so the table cannot drift from the tests.

Every case is also a leak test (issue 13): no text of the delivered file - cell, heading, sheet name, file name
(unless it follows the agreed pattern), nor the case's ``planted`` text - may appear in any reason, fix, value
excerpt, receipt, quarantine note, progress line or data-quality result, and no identifier-like substring may
reach the work file's text columns. ``stored`` says what a row's text column holds after landing (free text
scrubbed or dropped).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from tests.badinput.casekit import (
    NAME,
    XLSX_NAME,
    XLSX_SPEC,
    Case,
    _bytes,
    _text,
    _with,
    _xlsx,
    _zip_bomb,
    rows,
)
from tests.badinput.cases_ledger import LEDGER_CASES
from tests.badinput.fixtures import HEADERS, csv_text, good_row

NHS = "9434765919"  # a valid NHS number (check digit 9)
CHILD = "Amelia Okonkwo"


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
         _text("hackney..%2F..%2Fetc contacts é.csv", lambda: csv_text(rows()))),
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


SCRUB = {"free_text": {"partner_name": "scrub"}}
XLSX_SCRUB = {**XLSX_SPEC, **SCRUB}


def _headerless() -> str:
    child = [*good_row(1)[:1], NHS, *good_row(1)[2:7], CHILD, *good_row(1)[8:]]
    return csv_text(rows(3), headers=child)


def _scrubbed(case_id: str, title: str, value: str, kind: str, stored: str, spec: dict = SCRUB,
              write: Callable[[Path], Path] | None = None) -> Case:
    """Free text (declared ``scrub``): the identifier-like part is replaced by its tag, the rest lands."""
    return Case(case_id, title, "warned", f"contained {kind}", write or _text(NAME, _with(1, 7, value)),
                spec=spec, stored={1: {"partner_name": stored}})


PRIVACY_CASES: list[Case] = [
    # file names: never published; one that does not follow the agreed pattern is set aside under its id
    Case("file_name_nhs_number", "A file named with nothing but an NHS number", "quarantined",
         "does not match any agreed file name", _text(f"{NHS}.csv", lambda: csv_text(rows())), planted=(NHS,)),
    Case("file_name_child", "A child's name in the file name", "quarantined", "does not match any agreed file name",
         _text(f"hackney_contacts_2024-05 {CHILD}.csv", lambda: csv_text(rows())), planted=("Amelia", "Okonkwo")),
    Case("file_name_full_width_digits", "Full-width digits in the period of the file name", "quarantined",
         "does not match any agreed file name",
         _text("hackney_contacts_\uff12\uff10\uff12\uff14-05.csv", lambda: csv_text(rows()))),
    # headings: described by position and shape; without its heading row the first "headings" are a record
    Case("headerless_file", "No heading row: the first row is a child's record", "quarantined",
         "the heading row is missing", _text(NAME, _headerless), planted=(NHS, "Amelia", "Okonkwo")),
    Case("headerless_xlsx", "XLSX without its heading row (an NHS number as a number cell)", "quarantined",
         "the heading row is missing",
         _xlsx(XLSX_NAME, [("Contacts", [["C1", int(NHS), "F1", "HAC-H01", "hub", "IF", "direct", CHILD,
                                           "02/05/2024", "Y"], *rows(2)])]),
         spec=XLSX_SPEC, planted=(NHS, "Amelia", "Okonkwo")),
    Case("heading_is_a_name", "A required heading replaced by a child's name", "quarantined",
         "'ContactDate' not found", _text(NAME, lambda: csv_text(rows(), headers=[*HEADERS[:8], CHILD, "Attended"])),
         planted=("Amelia", "Okonkwo")),
    Case("xlsx_sheet_named_after_child", "The agreed sheet is missing; the sheet there is named after a child",
         "quarantined", "no sheet called 'Contacts'",
         _xlsx(XLSX_NAME, [(f"{CHILD} {NHS}"[:31], [HEADERS, *rows()])]),
         spec={**XLSX_SPEC, "sheet": "Contacts"}, planted=(NHS, "Amelia", "Okonkwo")),
    Case("xlsx_data_on_child_sheet", "XLSX data on a second sheet named after a child", "warned", "on sheet 2 of 2",
         _xlsx(XLSX_NAME, [("Notes", [["read me"]]), (CHILD, [HEADERS, *rows()])]), spec=XLSX_SPEC,
         planted=("Amelia", "Okonkwo")),
    # cells: reasons name the agreed column and the row, the value only by its shape
    Case("child_name_as_hub", "A child's name in the hub column", "rejected", "not a known family hub id",
         _text(NAME, _with(2, 3, CHILD)), rows=[2], column="HubCode", planted=("Amelia", "Okonkwo")),
    Case("nhs_number_dots_as_contact_id", "An NHS number with dots as the contact id", "rejected",
         "looks like an NHS number", _text(NAME, _with(3, 0, "943.476.5919")), rows=[3], column="ContactRef",
         planted=("943.476.5919",)),
    Case("phone_in_text", "A phone number inside a text column not agreed as free text", "warned",
         "looked like a phone number", _text(NAME, _with(1, 7, "ring 07700 900123")), planted=("07700",),
         stored={1: {"partner_name": None}}),
    Case("email_in_text", "An e-mail address inside a text column not agreed as free text", "warned",
         "looked like an e-mail address", _text(NAME, _with(2, 7, "jo.bloggs@example.org")),
         planted=("jo.bloggs",), stored={2: {"partner_name": None}}),
    # free text agreed in the mapping (free_text: {partner_name: scrub}): scrubbed, the rest of the text lands
    _scrubbed("free_text_nhs_dots", "Free text: an NHS number with dots", "call re 943.476.5919",
              "an NHS number", "call re [NHS number removed]"),
    _scrubbed("free_text_nhs_no_break_spaces", "Free text: an NHS number with no-break spaces",
              "NHS 943\u00a0476\u00a05919 seen", "an NHS number", "NHS [NHS number removed] seen"),
    _scrubbed("free_text_nhs_bad_check_digit", "Free text: an NHS number failing the check digit",
              "943 476 5910 Home-Start", "an NHS number", "[NHS number removed] Home-Start"),
    _scrubbed("free_text_email", "Free text: an e-mail address", "Home-Start jo.bloggs@example.org",
              "an e-mail address", "Home-Start [email removed]"),
    _scrubbed("free_text_uk_phone", "Free text: UK phone numbers in two spellings",
              "Home-Start (020) 7946-0000 or +44 7700 900123", "a phone number",
              "Home-Start [phone number removed] or [phone number removed]"),
    _scrubbed("free_text_postcode_no_break_space", "Free text: a postcode with a no-break space",
              "Hall E8\u00a01DY", "a full postcode", "Hall [postcode removed]"),
    _scrubbed("free_text_upn", "Free text: a UPN", "pupil A123456789012", "a UPN", "pupil [UPN removed]"),
    _scrubbed("free_text_full_width_digits", "Free text: full-width digits",
              "NHS \uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", "an NHS number",
              "NHS [NHS number removed]"),
    _scrubbed("free_text_xlsx_number_cell", "Free text in XLSX: an NHS number as a number cell", "", "an NHS number",
              "[NHS number removed]", spec=XLSX_SCRUB,
              write=_xlsx(XLSX_NAME, [("Contacts", [HEADERS, [*good_row(1)[:7], int(NHS), *good_row(1)[8:]],
                                                   *rows(4)[1:]])])),
    _scrubbed("free_text_xlsx_phone", "Free text in XLSX: a phone number with no-break spaces", "", "a phone number",
              "Home-Start [phone number removed]", spec=XLSX_SCRUB,
              write=_xlsx(XLSX_NAME, [("Contacts", [HEADERS, [*good_row(1)[:7], "Home-Start 07700\u00a0900123",
                                                              *good_row(1)[8:]], *rows(4)[1:]])])),
    Case("free_text_ordinary", "Free text without identifiers (kept as sent)", "landed", "",
         _text(NAME, _with(1, 7, "Café £5 group, Home-Start")), spec=SCRUB,
         stored={1: {"partner_name": "Café £5 group, Home-Start"}}),
    Case("free_text_dropped", "Free text agreed as drop: never stored", "landed", "",
         _text(NAME, _with(1, 7, f"{CHILD} 07700 900123")), spec={"free_text": {"partner_name": "drop"}},
         planted=("Amelia", "07700"), stored={1: {"partner_name": None}}),
]
CASES += PRIVACY_CASES
CASES += LEDGER_CASES
