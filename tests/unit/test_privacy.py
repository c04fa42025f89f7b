import duckdb

from fhub.privacy import csv_safe_select, find_needles, nhs_check_digit_valid
from fhub.privacy.scan_duckdb import scan_catalog


def test_nhs_check_digit():
    assert nhs_check_digit_valid("9434765919")
    assert nhs_check_digit_valid("943 476 5919")
    assert not nhs_check_digit_valid("9434765918")
    assert not nhs_check_digit_valid("12345")


def test_scan_finds_identifier_substrings_but_not_hashes():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values ('seen 943 476 5919 today'), ('A123456789012'), ('at E8 1DY'), "
        "(repeat('a', 64)), ('typo 9434765918'), ('E09000012')) v(x)"
    )
    findings = scan_catalog(con, artefact="t")
    assert sorted((f.location, f.kind, f.shape) for f in findings) == [
        ("t.x", "nhs_number", "10 digits"), ("t.x", "nhs_number", "NNN NNN NNNN"), ("t.x", "postcode", "AN NAA"),
        ("t.x", "upn", "letter + 12 digits")]
    con.execute("delete from t where x not in (repeat('a', 64), 'E09000012')")
    assert scan_catalog(con, artefact="t") == []


def test_needles_and_csv_neutralisation():
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('Amelia Smith'), ('=1+1'), ('@SUM(A1)')) v(x)")
    assert find_needles(con, ["amelia"]) == ["main.t.x contains 'amelia'"]
    assert find_needles(con, ["smith"]) == ["main.t.x contains 'smith'"]
    con.execute("delete from t where x = 'Amelia Smith'")
    con.execute("insert into t values ('Hammersmith and Fulham')")
    assert find_needles(con, ["smith"]) == []  # whole words only
    rows = [r[0] for r in con.execute(csv_safe_select(con, "t")).fetchall()]
    assert rows == ["'=1+1", "'@SUM(A1)", "Hammersmith and Fulham"]
