"""Erasure: one person's rows leave the raw tables, the built tables and the stored originals (CSV rewritten byte
for byte less those rows; XLSX value by value); everyone else's stay; the ledgers hold no id."""

from __future__ import annotations

import codecs
import io
import json

import duckdb
import openpyxl
import pytest

from fhub.landing import land_all, open_work_db
from fhub.landing.archive import archive_path
from fhub.landing.land import load_mappings
from fhub.privacy.erasure import forget
from fhub.privacy.originals import stored_originals
from fhub.privacy.rewrite import remove_rows
from fhub.privacy.vault import OriginalsKey, decrypt_stream, encrypt_file
from fhub.pseudonymise import keyed_hash
from tests.badinput.fixtures import HEADERS, KEY, TODAY, csv_text, good_row, setup

OKEY = OriginalsKey.from_secret("erasure test", "env")


def _plain(path) -> bytes:
    out = io.BytesIO()
    with open(path, "rb") as fh:
        decrypt_stream(fh, out, OKEY)
    return out.getvalue()


def _store(tmp_path, data: bytes, name="x.fenc"):
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    dest = tmp_path / name
    encrypt_file(src, dest, OKEY)
    return dest


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_rows_are_dropped_and_the_rest_kept_byte_for_byte(tmp_path, encoding):
    rows = [["C1", "P 0001", "caf\u00e9 \u00a3"], ["C2", "p-0001", 'multi\r\nline "quoted"'], ["C3", "P0002", "x"]]
    text = csv_text(rows, headers=["ContactRef", "ClientID", "Partner"], eol="\r\n")
    data = text.encode(encoding)
    stored = _store(tmp_path, data)
    changed = remove_rows(stored, "P0001", OKEY)
    assert changed.rows_removed == 2
    kept = csv_text([rows[2]], headers=["ContactRef", "ClientID", "Partner"], eol="\r\n").encode(encoding)
    assert _plain(stored) == kept
    assert remove_rows(stored, "P0001", OKEY) is None  # nothing left to remove: untouched


def test_undecodable_bytes_and_semicolons_survive(tmp_path):
    data = b"a;b\r\nX1;\xff\xfe broken\r\nX2;P9\r\n"
    stored = _store(tmp_path, data)
    assert remove_rows(stored, "p9", OKEY).rows_removed == 1
    assert _plain(stored) == b"a;b\r\nX1;\xff\xfe broken\r\n"


def test_xlsx_rows_are_dropped_value_by_value(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(["Hackney register"])
    sheet.append(["NHS Number", "ClientID", "Surname"])
    sheet.append([9434765919, "P0001", "Smith"])
    sheet.append([4010232137, "P0002", "Jones"])
    buffer = io.BytesIO()
    book.save(buffer)
    stored = _store(tmp_path, buffer.getvalue())
    assert remove_rows(stored, "943 476 5919", OKEY).rows_removed == 1  # a numeric cell, by its digits
    again = openpyxl.load_workbook(io.BytesIO(_plain(stored)))
    assert again.sheetnames == ["Register"]
    assert [list(r) for r in again.active.iter_rows(values_only=True)] == [
        ["Hackney register", None, None], ["NHS Number", "ClientID", "Surname"], [4010232137, "P0002", "Jones"]]


def test_forget_one_person_everywhere_and_no_one_else(tmp_path):
    paths, config = setup(tmp_path)
    hackney = paths.incoming / "hackney"
    may = [good_row(i) for i in range(1, 40)]  # person ids P00001..P00039 (i % 97)
    (hackney / "hackney_contacts_2024-05.csv").write_text(csv_text(may))
    june = [good_row(i) for i in range(40, 60)] + [good_row(3)[:1] + ["P00003"] + good_row(3)[2:]]
    june[-1][0] = "C999999"
    (hackney / "hackney_contacts_2024-06.csv").write_text(csv_text(june))
    # a file that cannot be landed (a column missing) still holds the person: quarantined, kept encrypted
    broken = [r[:8] + r[9:] for r in may[:5]]
    (hackney / "hackney_contacts_2024-07.csv").write_text(
        csv_text(broken, headers=HEADERS[:8] + HEADERS[9:]))
    land_all(paths, "run1", KEY, key_label="env", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY,
             originals_key=OKEY)
    person_key = keyed_hash(KEY, "P00003")
    con = open_work_db(paths)
    try:
        assert con.execute("select count(*) from landing.quarantine").fetchone()[0] == 1
        before = con.execute("select count(*) from raw.hub_contacts").fetchone()[0]
        mine = con.execute("select count(*) from raw.hub_contacts where person_key = ?", [person_key]).fetchone()[0]
        assert mine == 2
        con.execute("create schema marts")
        con.execute("create table marts.fct_hub_contacts as select _borough_code as borough_code, person_key, "
                    "family_key from raw.hub_contacts")
        con.execute("insert into marts.fct_hub_contacts values ('E09000007', ?, null)", [person_key])  # Camden
        mappings, _ = load_mappings(config)
        result = forget(paths, con, borough_code="E09000012", slug="hackney", person_id=" p-00003 ",
                        hmac_key=KEY, originals_key=OKEY, mappings=mappings, reference="SAR-2024-17")
        after = con.execute("select count(*) from raw.hub_contacts").fetchone()[0]
        left = con.execute("select count(*) from raw.hub_contacts where person_key = ?", [person_key]).fetchone()[0]
        marts = con.execute("select borough_code from marts.fct_hub_contacts where person_key = ?",
                            [person_key]).fetchall()
        ledger = con.execute("select borough_code, reference, raw_rows_removed, model_rows_removed, "
                             "originals_rewritten, original_rows_removed from landing.erasures").fetchall()
        changes = con.execute("select location, rows_removed from landing.original_changes order by 1").fetchall()
        dumped = json.dumps(con.execute("select * from landing.erasures, landing.original_changes").fetchall(),
                            default=str)
    finally:
        con.close()
    assert (before - after, left) == (2, 0)
    assert marts == [("E09000007",)]  # the same id in another borough is another person
    assert ledger == [("E09000012", "SAR-2024-17", 2, 2, 4, 4)]  # the quarantined file: archive + quarantine
    assert changes == [("archive", 1), ("archive", 1), ("archive", 1), ("quarantine", 1)]
    assert "P00003" not in dumped and person_key not in dumped and person_key[:16] not in dumped
    for original in stored_originals(paths):
        text = _plain(original.path).decode()
        assert "P00003" not in text
        assert "P00004" in text or "P00040" in text  # everyone else is still there
    assert result.found


def test_archive_and_quarantine_copies_are_both_rewritten(tmp_path):
    """A quarantined original is a hard link to its archive copy: erasure rewrites both, never one through the
    other."""
    paths, config = setup(tmp_path)
    (paths.incoming / "hackney" / "hackney_contacts_2024-06.csv").write_text(
        csv_text([r[:8] + r[9:] for r in [good_row(3), good_row(4)]], headers=HEADERS[:8] + HEADERS[9:]))
    land_all(paths, "run1", KEY, key_label="env", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY,
             originals_key=OKEY)
    con = open_work_db(paths)
    try:
        sha = con.execute("select sha256 from landing.quarantine").fetchone()[0]
        forget(paths, con, borough_code="E09000012", slug="hackney", person_id="P00003", hmac_key=KEY,
               originals_key=OKEY, mappings=load_mappings(config)[0])
    finally:
        con.close()
    for path in (archive_path(paths.archive, sha), paths.quarantine / sha / "original.fenc"):
        text = _plain(path).decode()
        assert "P00003" not in text and "P00004" in text
    assert codecs.lookup("utf-8")  # (keeps the import honest)
    assert duckdb.__version__
