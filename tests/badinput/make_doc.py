"""Generate docs/bad-input-catalogue.md from tests/badinput/cases.py (run as a module)."""

from __future__ import annotations

from pathlib import Path

from tests.badinput.cases import CASES

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-input-catalogue.md"
_OUTCOME = {"quarantined": "file quarantined (not landed)", "rejected": "rows rejected, rest landed",
            "warned": "landed with a warning", "landed": "landed",
            "held": "held: stored, not in use, replaces nothing", "duplicate": "not landed again (duplicate)",
            "ignored": "not read (receipt line)", "refused": "refused (receipt line)"}


def render() -> str:
    lines = ["# Bad-input catalogue", "",
             "Generated from `tests/badinput/cases.py` by `python -m tests.badinput.make_doc`; every row is a "
             "test in `tests/badinput/test_catalogue.py`. The receipt line is what the borough's data officer "
             "reads (it contains the text shown).", "",
             "| case | input | outcome | rows / column | receipt says (excerpt) |", "|---|---|---|---|---|"]
    for c in CASES:
        where = ", ".join(map(str, c.rows)) + (f" / {c.column}" if c.column else "") if c.rows else ""
        lines.append(f"| `{c.id}` | {c.title} | {_OUTCOME[c.outcome]} | {where} | {c.message or '—'} |")
    lines += ["", "Also tested: the same file twice (skipped, nothing changes), a corrected resubmission "
              "(supersedes the earlier delivery, history kept), one borough's bad file not stopping another's "
              "(`test_catalogue.py`); a nil return followed by data and then an empty resubmission (the empty "
              "file is kept in history and does not wipe the period), duplicate rows + duplicate ids + rejected "
              "rows in one register file (every row counted once, no fan-out), birth months of parents, due "
              "months and Reception pupils, broken files taken out of a group of files "
              "(`tests/unit/test_landing_groups.py`); a ~200 MB file landed with peak memory well below its "
              "size (`test_large_file.py`); kill -9 between landing commits, then recovery to the same state "
              "as an uninterrupted run (`test_kill.py`); generated malformed extracts — junk cells, "
              "missing/extra columns, five encodings, truncated bytes, NHS numbers/UPNs/postcodes in text "
              "columns, a names column — never crash, always account for every row and never leak a raw "
              "value into the work file, receipts or quarantine notes (`test_properties.py`, hypothesis); the reader's "
              "line counts against DuckDB's, chunk boundaries included, a confirmed resubmission, a confirmation "
              "listed in the mapping file, and the data-quality results of held files, duplicates and unexplained "
              "lines (`tests/unit/test_landing_ledger.py`); a demo night followed by a hostile night — "
              "every row accounted for, untouched boroughs' published figures unchanged, no SQL or internal error "
              "in anything a borough reads (`tests/e2e/test_hostile_night.py`).",
              "", "Every case is also a leak test (issue 13, `tests/badinput/leaks.py`): no cell, heading, sheet "
              "name or file name of the delivered file (unless the name follows the agreed pattern), nor the "
              "case's planted names and numbers, appears in any reason, fix, value shape, receipt, quarantine "
              "note or file name in quarantine, progress line or data-quality result; and "
              "`fhub_identifier_kinds` finds no identifier-like substring in any text column of `raw.*` and "
              "`landing.*` (except `source_file`, which keeps the delivered name in the work file only).",
              "", "Rules worth knowing:", "",
              "- **Messages are templates.** A receipt names the row, the agreed column (the mapping's heading, "
              "or `column N` for one that is not agreed) and the value's masked shape (`NN/NN/NNNN`, `text of "
              "12 characters`, `10 digits`), never the value. A heading row that lacks agreed headings is "
              "described by column position and shape; when no cell is an agreed heading the receipt says the "
              "heading row may be missing. Sheets are named by position (`sheet 2 of 2`) unless the mapping "
              "agrees a sheet name.",
              "- **File names.** A name must match an agreed pattern in full (ASCII digits only). A delivery is "
              "named everywhere by its label, `hackney contacts 2024-05 (delivery 3f2a91c0)`; a name that does "
              "not match is quarantined, encrypted, under its delivery id (`quarantine/<delivery_id>/`) and "
              "shown masked in the receipt (`a name of 10 digits + .csv`).",
              "- **Originals.** Whatever happens to a file (landed, rejected rows, quarantined, already "
              "received), its bytes are kept encrypted at rest (`archive/`, `quarantine/`; "
              "`fhub archive open <delivery_id>` for an authorised user) and it leaves `incoming/` once the "
              "night has recorded it; only a file waiting for its borough's mapping stays (docs/privacy.md).",
              "- **Free text.** Columns a mapping declares `free_text: {partner_name: scrub}` keep their text "
              "with every identifier-like part (NHS numbers in any spacing, valid check digit or not; UPNs; "
              "e-mail addresses; UK phone numbers; NI numbers; postcodes, after NFKC) replaced by a tag such as "
              "`[NHS number removed]`, with a warning naming row, column and kind; `drop` never stores the "
              "column. Any other text column holding something identifier-like is blanked with a warning, and "
              "a reference column (contact, referral and assessment ids, hub, school, academic year) rejects "
              "the row.",
              "- **Nil return.** A file with a heading row and no data rows is landed with 0 rows and the "
              "receipt warning \"treated as a nil return (no activity) for <period>\". It replaces only "
              "an earlier *empty* delivery for the period. If the period already has rows, the empty file "
              "is recorded as `superseded` (history only; `superseded_by` = the delivery still in use) and "
              "the receipt says that an empty file does not replace them and how to withdraw a period "
              "(`fhub.landing.withdraw_delivery`). Identical header-only files for different months are each "
              "recorded as that month's nil return. A 0-byte file is still quarantined.",
              "- **Birth months** (`birth_month`, all roles) are plausible from January 1900 to 300 days "
              "(about 10 months: an expected due month) after the run date; other dates from 1990 to the "
              "run date. An EYFSP pupil whose birth month does not fit the Reception year (born September "
              "Y-5 to August Y-4 for academic year Y/Y+1) is landed with a warning, not rejected.",
              "- **Duplicates** are judged within one delivered file (by the contract key); the same ids in "
              "another file or month are not duplicates.",
              "- **Every line is accounted for** (`landing.reconciliation`, one row per delivery): the file's "
              "lines (a workbook's rows on every sheet) = heading block + data rows landed + rejected + blank "
              "lines + repeated heading rows + footer lines (`Total: 12 records`) + continued values (line "
              "breaks inside quotes) + rows of sheets that are not data sheets + *unexplained*. The file is "
              "counted by the reader (Python, quote-aware) and by the scan (DuckDB) independently; any "
              "unexplained line withholds the delivery's borough × extract × period (`lines_accounted`) every "
              "night while the delivery is in use. The receipt shows the ledger line.",
              "- **Sheets.** The data sheets are the mapping's `sheet` (any capitals) and the continuation "
              "sheets Excel names `Data (2)`, `Data (3)`, … (or `sheet_pattern`); they are read and "
              "concatenated. Other non-empty sheets are named in a warning by position and shape; one carrying "
              "the agreed headings is not read and its rows are unexplained.",
              "- **Periods.** Each extract declares its event date (contacts `contact_date`, referrals "
              "`referral_date`, assessments `assessment_date`, register `registration_date` — on or before "
              "the period's end —, EYFSP the `academic_year` column). A row dated more than "
              "`period_tolerance_days` (default 7, per file spec) outside the period in the file name is "
              "rejected. A file whose dated rows mostly (more than half) belong to one other period is *held*: "
              "stored, not in use, replacing nothing, \"this looks like the <period> file\".",
              "- **Resubmissions.** A file that would replace the delivery in use but drops more than the "
              "borough's `resubmission_drop_share` (default 20 %) of its rows, of its key's distinct values or "
              "of its hubs is *held*; the receipt says how many records (by key) and which hubs landing it "
              "would withdraw. Confirm it with `fhub confirm <delivery_id>` or by listing the id under "
              "`confirm_resubmissions:` in the borough mapping (applied by the next run). Identical bytes under "
              "another period's name are not landed again; the receipt names the delivery they duplicate and "
              "says the named period is still missing.",
              "- **Every file gets a receipt line**, once: hidden or temporary files (`~$…`, `.…`), files still "
              "being copied (`.part`, `.tmp`, …), folders and symbolic links (refused) are described by type, "
              "size and time (`landing.file_events`), never by name.",
              "- **Cells.** Numbers are try-cast with range checks: NaN, infinity, `1e30` or a 20-digit number "
              "reject the row, a decimal in a whole-number column is rejected, never rounded. Excel error values "
              "(`#N/A`, `#REF!`, … — kept as such when a workbook holds them) reject a required value and empty "
              "an optional one with a warning. Control characters are removed with a warning. Codes, value maps, "
              "hub ids and sheet names match in any capitals. File names must match their pattern in full, "
              "with ASCII digits. Headings never reach SQL text: messages name the agreed column.",
              "- **EYFSP.** An ELG column empty for every child of a delivery (missing, or under a re-typed "
              "heading: a near-miss heading is a warning naming the agreed column and the found column's "
              "position and shape) leaves no complete profile: the receipt says how many children that excludes "
              "and the delivery check `elg_judgements_present` withholds the scope's EYFSP figures with that "
              "reason every night while it is in use. A pupil born after the end of the assessment (June of the "
              "Reception year) is rejected, so never counted in GLD."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
