"""Hostile deliveries for the leak suite (issue 13), built from what the demo boroughs sent, plus the helpers that
look for what was planted in every artefact a night writes.

Every class the issue lists, in three dialects (alpha CSV, beta CSV with ``;`` and a BOM, gamma XLSX and pipe
text): a register file without its heading row (CSV and XLSX), identifiers typed into free text in every
spelling, names in rejected cells, a person's name and NHS number in a file name, a file named only with a
valid NHS number, a workbook whose data sheet is named after a child. The planted names and numbers are
distinctive, so finding one anywhere is a leak, not a coincidence.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl


def nhs(nine: str) -> str:
    """A valid NHS number (modulus 11 check digit) from nine digits."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        raise ValueError("no valid check digit for these nine digits")
    return nine + str(check)


NHS_A, NHS_B, NHS_D, NHS_E, NHS_F, NHS_G = (nhs(x) for x in (
    "401023213", "943476591", "485777345", "640183284", "401234567", "712396485"))
NHS_C_TYPO = NHS_B[:9] + str((int(NHS_B[9]) + 1) % 10)  # the check digit wrong: still personal data
NAMES = ("Zephyrine", "Quillfeather", "Bartholomew", "Oyelaran", "Ottoline", "Thornbury", "Vasquez")
EMAIL = "ottoline.thornbury@example.org"
FULL_WIDTH = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def spaced(n: str, sep: str = " ") -> str:
    return f"{n[:3]}{sep}{n[3:6]}{sep}{n[6:]}"


#: Free text typed into partner columns: identifiers in every spelling the issue names.
FREE_TEXT = [
    "Call mum on 07700 900461",
    "Dad +44 (0)20 7946 0123 evenings",
    f"NHS {spaced(NHS_B, '.')}",
    f"typo NHS {spaced(NHS_C_TYPO)}",
    f"NHS{chr(0x2009)}{spaced(NHS_D, chr(0x2009))} (thin spaces)",
    f"lives at SW1A{chr(0xa0)}2AA",
    f"ref {NHS_E.translate(FULL_WIDTH)}",
    f"mail {EMAIL}",
    "UPN H801200001001 on file",
    "NI AB 12 34 56 C",
    f"NHS {spaced(NHS_G, '-')}",
    "020-7946-0999 (school)",
]
#: Squashed (lower case, letters and digits only) forms that must appear in no artefact.
NUMBER_NEEDLES = (NHS_A, NHS_B, NHS_C_TYPO, NHS_D, NHS_E, NHS_F, NHS_G, "07700900461", "2079460123",
                  "02079460999", "h801200001001", "ab123456c")
NAME_NEEDLES = tuple(n.lower() for n in NAMES)


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


@dataclass
class Planted:
    files: list[Path] = field(default_factory=list)  # the hostile files as delivered (in incoming/)
    needles: tuple[str, ...] = NUMBER_NEEDLES + NAME_NEEDLES
    #: needles planted only inside file contents (never in a file name): their bytes must be nowhere outside
    #: incoming/ - a plaintext copy of an original would hold them
    content_needles: tuple[str, ...] = ("Bartholomew", "Oyelaran", "Vasquez", "Thornbury", EMAIL,
                                        spaced(NHS_A), spaced(NHS_B, "."))


def _last(folder: Path, pattern: str) -> Path:
    found = sorted(p for p in folder.iterdir() if re.search(pattern, p.name))
    assert found, f"no demo file matching {pattern} in {folder}"
    return found[-1]


def _read_csv(path: Path, delimiter: str, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=encoding)), delimiter=delimiter))


def _write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _first_rows(path: Path, n: int) -> bytes:
    """The heading and the first ``n - 1`` data lines of a delivered text file, byte for byte."""
    return b"".join(path.read_bytes().splitlines(keepends=True)[:n])


def _free_text(rows: list[list[str]], column: int) -> None:
    for i, text in enumerate(FREE_TEXT):
        rows[1 + (i % (len(rows) - 1))][column] = text


def plant(sent: Path, incoming: Path) -> Planted:
    """Write the hostile deliveries into ``incoming`` (built from the demo files in ``sent``)."""
    planted = Planted()
    hackney, merton, westminster = (incoming / s for s in ("hackney", "merton", "westminster"))
    for folder in (hackney, merton, westminster):
        folder.mkdir(parents=True, exist_ok=True)

    # alpha: a register without its heading row - the first "headings" are a child's record
    src = _last(sent / "hackney", r"^hackney_register_")
    rows = _read_csv(src, ",", "utf-8")
    header = rows[0]
    first = list(rows[1])
    for col, value in (("NHS Number", spaced(NHS_A)), ("First Name", "Zephyrine"), ("Surname", "Quillfeather"),
                       ("Postcode", "SW1A 2AA")):
        first[header.index(col)] = value
    target = hackney / src.name
    _write_csv(target, [first, *rows[2:]], ",", "utf-8")
    planted.files.append(target)

    # alpha: rejected cells holding names, and identifiers typed into free text (Partner) in every spelling
    src = _last(sent / "hackney", r"^hackney_contacts_")
    rows = _read_csv(src, ",", "utf-8")
    rows[1][rows[0].index("HubCode")] = "Bartholomew Oyelaran"
    rows[2][rows[0].index("ContactDate")] = "Vasquez"
    _free_text(rows, rows[0].index("Partner"))
    target = hackney / src.name
    _write_csv(target, rows, ",", "utf-8")
    planted.files.append(target)

    # a person's name and NHS number in a file name (does not match the agreed pattern); its bytes are new (a
    # byte copy of a landed file would only be skipped as already received)
    target = hackney / f"Zephyrine Quillfeather {NHS_E} contacts.csv"
    target.write_bytes(_first_rows(_last(sent / "hackney", r"^hackney_contacts_"), 6))
    planted.files.append(target)

    # a file named with nothing but a valid NHS number, in Merton's folder: it must not block anyone
    target = merton / f"{NHS_F}.csv"
    target.write_bytes(_first_rows(_last(sent / "merton", r"^MER_FH_contacts_"), 6))
    planted.files.append(target)

    # beta (;, BOM): free text in every spelling, Merton's latest contacts sent again
    src = _last(sent / "merton", r"^MER_FH_contacts_\d{4}-\d{2}_Q")
    rows = _read_csv(src, ";", "utf-8-sig")
    _free_text(rows, rows[0].index("provider"))
    target = merton / src.name
    _write_csv(target, rows, ";", "utf-8-sig")
    planted.files.append(target)

    # gamma (XLSX): a register without its heading row, the first record a child's
    src = _last(sent / "westminster", r"^WST_FamilyHubs_Register_")
    book = openpyxl.load_workbook(src)
    sheet = book["Data"]
    headings = [c.value for c in sheet[3]]
    sheet.delete_rows(3)
    sheet.cell(3, headings.index("NHS Number") + 1, spaced(NHS_G))
    sheet.cell(3, headings.index("Address") + 1, "Ottoline Thornbury, 12 Example Road, SW1A 2AA")
    target = westminster / src.name
    book.save(target)
    planted.files.append(target)

    # gamma (XLSX): the data sheet named after a child
    src = _last(sent / "westminster", r"^WST_FamilyHubs_Assessments_")
    book = openpyxl.load_workbook(src)
    book["Data"].title = "Ottoline Thornbury"
    target = westminster / src.name
    book.save(target)
    planted.files.append(target)

    # gamma (pipe text): free text in every spelling, numbers written as a spreadsheet shows them
    src = _last(sent / "westminster", r"^WST_FamilyHubs_Contacts_[A-Z]")
    rows = _read_csv(src, "|", "utf-8")
    _free_text(rows, rows[0].index("Partner Org"))
    rows[-1][rows[0].index("Partner Org")] = f"{NHS_D[0]}.{NHS_D[1:]}E+09"
    target = westminster / src.name
    _write_csv(target, rows, "|", "utf-8")
    planted.files.append(target)
    return planted


# ---------------------------------------------------------------------------------------------------------------
# finding what was planted
# ---------------------------------------------------------------------------------------------------------------
def _hits(text: str, needles: tuple[str, ...]) -> list[str]:
    flat = squash(text)
    return [n for n in needles if n in flat]


def _duckdb_hits(path: Path, needles: tuple[str, ...], skip_columns: tuple[str, ...] = ()) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                           "where data_type = 'VARCHAR' and table_catalog = current_database()").fetchall()
        found = []
        for schema, table, column in cols:
            if column in skip_columns:
                continue
            flat = f"""regexp_replace(lower(nfc_normalize("{column}")), '[^a-z0-9]', '', 'g')"""
            for needle in needles:
                hit = con.execute(f'select 1 from "{schema}"."{table}" where contains({flat}, ?) limit 1',
                                  [needle]).fetchone()
                if hit:
                    found.append(f"{schema}.{table}.{column}: {needle}")
    finally:
        con.close()
    return found


def _sqlite_hits(path: Path, needles: tuple[str, ...]) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = []
    try:
        for (table,) in con.execute("select name from sqlite_master where type = 'table'").fetchall():
            for row in con.execute(f'select * from "{table}"'):
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", errors="ignore")
                    if isinstance(value, str):
                        found += [f"{table}: {n}" for n in _hits(value, needles)]
    finally:
        con.close()
    return sorted(set(found))


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(m).decode("utf-8", errors="replace") for m in book.namelist()
                         if m.endswith(".xml"))


def needle_hits(root: Path, needles: tuple[str, ...], *, skip: tuple[str, ...] = (),
                work_file_skip_columns: tuple[str, ...] = ()) -> list[str]:
    """Every artefact under ``root`` that holds a needle (squashed comparison), as "path: where: needle"."""
    found: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip) or path.name.endswith((".wal", "-wal", "-shm")):
            continue
        suffix = path.suffix.lower()
        if suffix == ".fenc":
            continue
        if suffix == ".duckdb":
            extra = work_file_skip_columns if rel.startswith("work/") else ()
            found += [f"{rel}: {h}" for h in _duckdb_hits(path, needles, extra)]
        elif suffix == ".parquet":
            con = duckdb.connect()
            rows = con.execute(f"select * from read_parquet('{path}')").fetchall()
            con.close()
            found += [f"{rel}: {h}" for h in _hits(repr(rows), needles)]
        elif suffix in (".db", ".sqlite"):
            found += [f"{rel}: {h}" for h in _sqlite_hits(path, needles)]
        elif suffix in (".xlsx", ".xlsm"):
            found += [f"{rel}: {h}" for h in _hits(_xlsx_text(path), needles)]
        else:
            found += [f"{rel}: {h}" for h in _hits(path.read_bytes().decode("utf-8", errors="replace"), needles)]
    return found
