"""fhub.privacy.identifiers: identifier-like substrings in every spelling boroughs use, and nothing else."""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fhub.privacy import duckdb_functions, find_identifiers, has_identifier, normalise_text, scrub, shape

FOUND = [
    ("NHS 943 476 5919 seen", "nhs_number"),
    ("9434765919", "nhs_number"),
    ("943-476-5919", "nhs_number"),
    ("943.476.5919", "nhs_number"),
    ("943\u00a0476\u00a05919", "nhs_number"),  # no-break spaces
    ("943\u2009476\u20095919", "nhs_number"),  # thin spaces
    ("943\u2011476\u20115919", "nhs_number"),  # non-breaking hyphens
    ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", "nhs_number"),  # full-width digits
    ("943 476 5910", "nhs_number"),  # check digit wrong: still a typo of a real number
    ("9.434765919E+09", "nhs_number"),  # a numeric spreadsheet cell
    ("mob 07700 900123", "phone_number"),
    ("(020) 7946-0000", "phone_number"),
    ("+44 (0)20 7946 0000", "phone_number"),
    ("+447700900123", "phone_number"),
    ("0044 20 7946 0000", "phone_number"),
    ("card 4111 1111 1111 1111", "long_number"),
    ("ask jo.bloggs+hub@example.org.uk", "email"),
    ("A123456789012", "upn"),
    ("upn b20700001604Q ok", "upn"),
    ("QQ 12 34 56 C", "ni_number"),
    ("qq123456c", "ni_number"),
    ("SW1A 1AA", "postcode"),
    ("lives at n1 9gu", "postcode"),
    ("E1\u00a06AN", "postcode"),  # no-break space
    ("EC1A1BB", "postcode"),
    ("GIR 0AA", "postcode"),
]

NOT_FOUND = [
    "Hackney Family Hub",
    "NW1",  # an outward code is an area
    "E09000012",  # a GSS code
    "E01000001",  # an LSOA code
    "a" * 10 + "1234567890" + "b" * 44,  # a 64-hex key with a run of digits
    "0.123456789012345",  # a decimal fraction
    "value 1234567.891",
    "2024-05-01 - 2024-05-31",  # a date range
    "2023/24 2024/25",
    "31/05/2024 01/06/2024",
    "20261204T155757Z-ab12cd",  # a run id
    "123456789",  # 9 digits
    "Q1 2024/25",
    "h1 2em",
    "",
]


@pytest.mark.parametrize(("text", "kind"), FOUND)
def test_identifier_found_in_every_spelling(text, kind):
    found = find_identifiers(text)
    assert [f.kind for f in found] == [kind], found
    scrubbed, kinds = scrub(text)
    assert kinds == [kind]
    assert not has_identifier(scrubbed), scrubbed
    assert "removed]" in scrubbed


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_text_is_left_alone(text):
    assert find_identifiers(text) == []
    assert scrub(text) == (normalise_text(text), [])


def test_scrub_keeps_the_rest_of_the_text_and_finds_several():
    text, kinds = scrub("Partner: Acme Ltd, tel 020 7946 0000, e-mail a@b.org, NHS 943 476 5919.")
    assert text == (
        "Partner: Acme Ltd, tel [phone number removed], e-mail [email removed], NHS [NHS number removed]."
    )
    assert kinds == ["phone_number", "email", "nhs_number"]


def test_normalise_text():
    assert normalise_text("plain ascii") == "plain ascii"
    assert normalise_text("a\u00a0b\u200bc\u2013d\uff11") == "a bc-d1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9434765919", "10 digits"),
        ("943 476 5919", "NNN NNN NNNN"),
        ("A123456789012", "letter + 12 digits"),
        ("HUB-0012", "AAA-NNNN"),
        ("31/02/2024", "NN/NN/NNNN"),
        ("Amelia Smith", "text of 12 characters"),
        ("jo@example.org", "an e-mail address"),
        (None, "empty"),
        ("  ", "empty"),
        ("1e30", "NANN"),
        ("12.5", "NN.N"),
    ],
)
def test_shape_never_shows_a_character_of_the_value(value, expected):
    assert shape(value) == expected
    assert re.fullmatch(SAFE_SHAPE, shape(value))


SAFE_SHAPE = r"[0-9]+ digits?|letter \+ [0-9]+ digits?|text of [0-9]+ characters?|an e-mail address|empty|[NA ./:,()+-]+"


@pytest.mark.parametrize("text", [t for t, _ in FOUND] + NOT_FOUND)
def test_shape_of_anything_is_one_of_the_safe_forms(text):
    assert re.fullmatch(SAFE_SHAPE, shape(text)), shape(text)


def test_duckdb_functions_match_python():
    con = duckdb.connect()
    duckdb_functions.register(con)
    duckdb_functions.register(con)  # idempotent
    values = [t for t, _ in FOUND] + NOT_FOUND + [None]
    con.execute("create table t as select unnest(?) as v", [values])
    rows = con.execute(
        f"select v, {duckdb_functions.may_hold_identifier_sql('v')}, fhub_scrub(v), fhub_identifier_kinds(v), "
        "fhub_shape(v) from t"
    ).fetchall()
    for v, may, scrubbed, kinds, masked in rows:
        if v is None:
            assert scrubbed is None and kinds is None
            continue
        assert scrubbed == scrub(v)[0]
        assert kinds == (",".join(sorted({f.kind for f in find_identifiers(v)})) or None)
        assert masked == shape(v)
        if kinds:
            assert may, f"the pre-filter must never skip a value holding an identifier: {v!r}"


# --------------------------------------------------------------------------------------------------
# the SQL pre-filter: false for ordinary values, never false for a value holding an identifier
# --------------------------------------------------------------------------------------------------
def _prefilter(values: list[str]) -> list[bool]:
    con = duckdb.connect()
    con.execute("create table t as select unnest(?) as v, generate_subscripts(?, 1) as i", [values, values])
    got = con.execute(f"select {duckdb_functions.may_hold_identifier_sql('v')} from t order by i").fetchall()
    con.close()
    return [g[0] for g in got]


def test_prefilter_passes_every_identifier_spelling():
    texts = [t for t, _ in FOUND] + [f"Home-Start {t} ok" for t, _ in FOUND]
    assert all(_prefilter(texts)), [t for t, ok in zip(texts, _prefilter(texts), strict=True) if not ok]


def test_prefilter_is_false_for_ordinary_values():
    ordinary = ["Home-Start", "Breastfeeding Network", "C000012345", "HAC-H01", "E01000001", "2023/24",
                "01/05/2024", "P00017", "Solace Women's Aid", "stay_and_play", "123456789"]
    assert _prefilter(ordinary) == [False] * len(ordinary)


_PIECES = st.sampled_from(["0", "7", "9", " ", ".", "-", "(", ")", "+", "@", "a", "B", "Q", "Z", "e", "\u00a0",
                           "\uff19", "x.y", "44", "07700", "E8", "1DY", "GIR", "0AA", ",", "/"])


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(_PIECES, min_size=1, max_size=24).map("".join))
def test_prefilter_never_hides_an_identifier(text):
    if find_identifiers(text):
        assert _prefilter([text]) == [True], text


def test_code_versions_are_machine_ids_but_a_bare_commit_can_read_as_a_postcode():
    # de3a5db is a real-looking short commit with a postcode's shape (DE3A 5DB): about one commit in 230
    assert [f.kind for f in find_identifiers("de3a5db")] == ["postcode"]
    for version in ("git-de3a5db", "git-de3a5db-dirty", "code version git-fb695ff0a1c2"):
        assert find_identifiers(version) == [], version
    assert [f.kind for f in find_identifiers("borough note: de3a5db")] == ["postcode"]


def test_the_pipelines_code_version_is_written_as_a_machine_id(tmp_path):
    import subprocess
    from pathlib import Path

    from fhub.runinfo import code_version

    project = Path(__file__).resolve().parents[2]
    version = code_version(project)
    if version != "unknown":  # a checkout
        assert version.startswith("git-") and find_identifiers(version) == []
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert code_version(tmp_path) == "unknown"  # no commit yet
