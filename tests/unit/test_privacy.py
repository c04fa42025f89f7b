import duckdb

from fhub.privacy import csv_safe_select, find_identifier_like_values, find_needles, nhs_check_digit_valid


def test_nhs_check_digit():
    assert nhs_check_digit_valid("9434765919")
    assert nhs_check_digit_valid("943 476 5919")
    assert not nhs_check_digit_valid("9434765918")
    assert not nhs_check_digit_valid("12345")


def test_scan_finds_identifiers_but_not_hashes():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values ('943 476 5919'), ('A123456789012'), ('E8 1DY'), "
        "(repeat('a', 64)), ('9434765918')) v(x)"
    )
    findings = find_identifier_like_values(con)
    assert len(findings) == 1
    assert "nhs" in findings[0] and "upn" in findings[0] and "postcode" in findings[0]
    con.execute("delete from t where x not in (repeat('a', 64), '9434765918')")
    assert find_identifier_like_values(con) == []


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
