"""Property-based hostile input (hypothesis): generated malformed contacts extracts — junk cells, missing and
extra columns, several encodings, truncated bytes, identifiers injected into text columns, a names column —
go through the real landing engine. Invariants: no crash; every delivered row is accounted for (landed +
rejected = delivered, and the raw table holds exactly the landed rows) or the file is quarantined with a
reason; nothing raw leaks into the work file, the receipts or the quarantine note."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhub.landing import land_file
from fhub.privacy import find_needles
from fhub.privacy.artefacts import FILE_NAME_COLUMNS
from fhub.privacy.scan_duckdb import scan_catalog
from tests.badinput.fixtures import HEADERS, KEY, TODAY, csv_text, good_row, setup
from tests.badinput.leaks import identifier_like_text

NAME = "hackney_contacts_2024-05.csv"
POSTCODES = ("E8 1DY", "SW1A 1AA", "N1 9GU", "SE15 4QN", "W10 6TH")
NAMES = ("Amelia Okonkwo", "Jayden Kowalski", "Priya Ramaswamy", "Oliver Nakamura")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1")


@st.composite
def nhs_numbers(draw) -> str:
    while True:
        digits = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            break
    text = "".join(map(str, digits)) + str(check)
    return draw(st.sampled_from([text, f"{text[:3]} {text[3:6]} {text[6:]}"]))


@st.composite
def identifiers(draw) -> str:
    kind = draw(st.sampled_from(["nhs", "upn", "postcode"]))
    if kind == "nhs":
        return draw(nhs_numbers())
    if kind == "upn":
        return draw(st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZ")) + draw(st.text("0123456789", min_size=12, max_size=12))
    return draw(st.sampled_from(POSTCODES))


JUNK = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=14)


@st.composite
def extracts(draw) -> tuple[bytes, list[str], bool]:
    """(file bytes, injected raw values that must never be stored or shown, whether rows were kept intact)."""
    n = draw(st.integers(0, 12))
    rows = [good_row(i) for i in range(1, n + 1)]
    headers = list(HEADERS)
    needles: list[str] = []
    for _ in range(draw(st.integers(0, 3)) if n else 0):
        value = draw(identifiers())
        col = draw(st.sampled_from([0, 7]))  # ContactRef (a key: row rejected), Partner (free text: blanked)
        rows[draw(st.integers(0, n - 1))][col] = value if col == 0 else f"ref {value} ok"
        needles.append(value)
    for _ in range(draw(st.integers(0, 4)) if n else 0):
        rows[draw(st.integers(0, n - 1))][draw(st.integers(0, 9))] = draw(JUNK)
    if draw(st.booleans()):  # a column of names that must be dropped
        headers.append("Child Name")
        for r in rows:
            name = draw(st.sampled_from(NAMES))
            r.append(name)
            needles.append(name)
    mode = draw(st.sampled_from(["intact", "drop_column", "extra_column"]))
    if mode == "drop_column":
        c = draw(st.integers(0, len(headers) - 1))
        headers.pop(c)
        for r in rows:
            r.pop(c)
    elif mode == "extra_column":
        headers.append(draw(JUNK))
        for r in rows:
            r.append(draw(JUNK))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = csv_text(rows, headers).encode(encoding, errors="replace")
    truncated = draw(st.booleans())
    if truncated:
        data = data[: draw(st.integers(0, len(data)))]
    intact = not truncated and mode != "drop_column" and encoding in ("utf-8", "utf-8-sig")
    return data, needles, intact


def _leaks(text: str, needles: list[str]) -> list[str]:
    squashed = text.replace(" ", "")
    return [n for n in needles if n in text or n.replace(" ", "") in squashed]


@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extracts())
def test_malformed_extracts_never_crash_lose_rows_or_leak(extract: tuple[bytes, list[str], bool]) -> None:
    data, needles, intact = extract
    tmp = Path(tempfile.mkdtemp(prefix="fhub-prop-"))
    try:
        paths, config = setup(tmp)
        f = paths.incoming / "hackney" / NAME
        f.write_bytes(data)
        out = land_file(paths, f, "run1", KEY, key_label="demo", config_dir=config, hubs_csv=tmp / "hubs.csv",
                        today=TODAY)
        con = duckdb.connect(str(paths.work_db), read_only=True)
        try:
            raw_rows = con.execute("select count(*) from raw.hub_contacts").fetchone()[0]
            if out.status == "quarantined":
                assert out.reason and (paths.quarantine / out.delivery_id / "reason.txt").exists()
                assert raw_rows == 0
            else:
                assert out.status == "landed", (out.status, out.reason)
                assert out.rows_landed + out.rows_rejected == out.rows_delivered
                assert raw_rows == out.rows_landed
                stored = con.execute("select rows_delivered, rows_landed, rows_rejected from landing.deliveries "
                                     "where delivery_id = ?", [out.sha256]).fetchone()
                assert stored == (out.rows_delivered, out.rows_landed, out.rows_rejected)
                n_rejected = con.execute("select count(distinct row_number) from landing.rejects").fetchone()[0]
                assert n_rejected == out.rows_rejected
                if intact:
                    assert out.rows_delivered == len(csv_text_rows(data))
            # no identifier-like substring anywhere in the work file (the file name stays there by design)
            found = scan_catalog(con, artefact="work file", include=lambda rel, col: col not in FILE_NAME_COLUMNS)
            assert [f.describe() for f in found] == []
            assert find_needles(con, needles) == []
        finally:
            con.close()
        assert identifier_like_text(paths.work_db) == []  # no identifier-like substring in raw/landing text
        shown = [p.read_text(encoding="utf-8", errors="replace") for p in paths.receipts.rglob("*.*")]
        shown += [p.read_text(encoding="utf-8", errors="replace") for p in paths.quarantine.rglob("reason.txt")]
        for text in shown:
            assert _leaks(text, needles) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def csv_text_rows(data: bytes) -> list[list[str]]:
    """The data records of an intact generated file, as Python's csv module reads them."""
    import csv
    import io

    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]
