"""Borough mapping files: loading, period parsing, and validation messages that say what to fix."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from fhub.contracts import CONTRACTS
from fhub.landing.mapping import (
    MappingError,
    PeriodError,
    load_borough_mapping,
    load_borough_mappings,
    parse_period,
)

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = PROJECT / "config" / "boroughs"

MINIMAL = """\
borough_code: E09000012
borough_name: Hackney
slug: hackney
dialect: alpha
files:
  - extract: contacts
    pattern: '^hackney_contacts_(?P<period>\\d{4}-\\d{2})\\.csv$'
    period_format: month
    format: csv
    delimiter: ','
    date_format: '%d/%m/%Y'
    columns:
      contact_id: ContactRef
      person_id: ClientID
      hub_id: HubCode
      service_code: ServiceCode
      contact_date: ContactDate
      attended: Attended
    constants:
      delivery_model: direct
    values:
      attended: {Y: true, N: false, 1: true, Yes: true, no: false}
      service_code: {IF: infant_feeding, '01': stay_and_play}
    ignore_columns: [Notes]
"""


def _write(tmp_path: Path, text: str, name: str = "hackney.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_minimal_file_loads_with_literal_value_keys(tmp_path):
    m = load_borough_mapping(_write(tmp_path, MINIMAL))
    assert (m.borough_code, m.slug, m.dialect) == ("E09000012", "hackney", "alpha")
    spec = m.files[0]
    # keys are literal text: Y/1/Yes/no are not turned into booleans or ints
    assert spec.values["attended"] == {"Y": True, "N": False, "1": True, "Yes": True, "no": False}
    assert spec.values["service_code"]["01"] == "stay_and_play"
    assert spec.constants == {"delivery_model": "direct"}
    assert spec.to_contract_value("attended", "N") is False
    assert spec.to_source_value("attended", False) == "N"
    assert spec.source_to_contract["ContactRef"] == "contact_id"


def test_match_returns_spec_and_canonical_period(tmp_path):
    m = load_borough_mapping(_write(tmp_path, MINIMAL))
    spec, period = m.match("hackney_contacts_2024-05.csv")
    assert spec.extract == "contacts" and period == "2024-05"
    assert m.match("hackney_contacts_2024-05.xlsx") is None
    assert m.match("camden_contacts_2024-05.csv") is None
    with pytest.raises(PeriodError, match="not a valid month"):
        m.match("hackney_contacts_2024-13.csv")
    # the whole name, ASCII digits only: a trailing line break or full-width digits never match
    assert m.match("hackney_contacts_2024-05.csv\n") is None
    assert m.match("hackney_contacts_２０２４-０５.csv") is None
    assert m.match("old_hackney_contacts_2024-05.csv") is None


def test_sheet_names_match_in_any_capitals_with_continuations(tmp_path):
    text = MINIMAL.replace("    format: csv\n    delimiter: ','", "    format: xlsx\n    sheet: Data")
    spec = load_borough_mapping(_write(tmp_path, text)).files[0]
    assert [n for n in ("Data", "DATA", "data (2)", "Data (10)", "Data2", "Old Data", "Data (x)")
            if spec.sheet_regex.fullmatch(n)] == ["Data", "DATA", "data (2)", "Data (10)"]
    text = MINIMAL.replace("    format: csv\n    delimiter: ','", "    format: xlsx\n    sheet_pattern: 'Contacts.*'")
    spec = load_borough_mapping(_write(tmp_path, text)).files[0]
    assert spec.sheet_regex.fullmatch("contacts april") and not spec.sheet_regex.fullmatch("Notes")


def test_resubmission_settings(tmp_path):
    text = MINIMAL.replace("dialect: alpha\n", "dialect: alpha\nconfirm_resubmissions: [0123456789AB]\n"
                                                 "resubmission_drop_share: 0.5\n")
    m = load_borough_mapping(_write(tmp_path, text))
    assert m.resubmission_drop_share == 0.5
    assert m.confirms("0123456789ab" + "f" * 52) and not m.confirms("f" * 64)
    assert m.files[0].period_tolerance_days == 7
    for bad, needle in (("confirm_resubmissions: [abc]", "expected a list of delivery ids"),
                        ("resubmission_drop_share: 2", "not a share between 0 and 1")):
        with pytest.raises(MappingError, match=needle):
            load_borough_mapping(_write(tmp_path, MINIMAL.replace("dialect: alpha\n", f"dialect: alpha\n{bad}\n")))
    with pytest.raises(MappingError, match="period_tolerance_days"):
        load_borough_mapping(_write(tmp_path, MINIMAL.replace("    format: csv\n",
                                                              "    format: csv\n    period_tolerance_days: -1\n")))


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("2024-05-13", "day", "2024-05-13"),
        ("20240513", "day", "2024-05-13"),
        ("13-05-2024", "day", "2024-05-13"),
        ("2024-05", "month", "2024-05"),
        ("202405", "month", "2024-05"),
        ("May2024", "month", "2024-05"),
        ("Sept-2024", "month", "2024-09"),
        ("2024-25_Q1", "quarter", "2024/25 Q1"),
        ("202425Q4", "quarter", "2024/25 Q4"),
        ("FY2024-2025 Q2", "quarter", "2024/25 Q2"),
        ("2023-24", "academic_year", "2023/24"),
        ("2023_2024", "academic_year", "2023/24"),
        ("1999-00", "academic_year", "1999/00"),
    ],
)
def test_parse_period(text, fmt, expected):
    assert parse_period(text, fmt) == expected


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("2024-02-30", "day"), ("2024-00", "month"), ("2024-26_Q1", "quarter"), ("2023-25", "academic_year")],
)
def test_parse_period_rejects_impossible_periods(text, fmt):
    with pytest.raises(PeriodError):
        parse_period(text, fmt)


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        (
            "      contact_id: ContactRef",
            "      contact_ref: ContactRef",
            "columns.contact_ref: unknown contract column",
        ),
        ("  - extract: contacts", "  - extract: visits", "files[0].extract: 'visits' is not an extract type"),
        ("(?P<period>\\d{4}-\\d{2})", "(\\d{4}-\\d{2})", "has no named group 'period'"),
        ("(?P<period>\\d{4}-\\d{2})", "(?P<period>\\d{4}-\\d{2}", "not a valid regular expression"),
        ("borough_code: E09000012", "borough_code: E09000099", "borough_code: 'E09000099' is not a known"),
        ("      attended: Attended\n", "", "required contract column(s) not mapped: attended"),
        ("period_format: month", "period_format: week", "period_format: 'week' is not supported"),
        ("format: csv", "format: parquet", "format: 'parquet' is not supported"),
        ("delivery_model: direct", "delivery_model: outsourced", "'outsourced' is not an allowed value"),
        ("Y: true,", "Y: yes,", "'yes' is not a boolean for attended"),
        ("date_format: '%d/%m/%Y'", "date_format: 'dd/mm/yyyy'", "has no strptime directives"),
        (
            "ignore_columns: [Notes]",
            "ignore_columns: [Notes, HubCode]",
            "'HubCode' is both mapped and ignored",
        ),
        ("slug: hackney", "slug: Hackney Borough", "slug: 'Hackney Borough' is not a valid folder name"),
        ("dialect: alpha", "dialect: alpha\ncolour: red", "colour: unknown key"),
        ("    delimiter: ','", "    delimiter: ';;'", "is not one character"),
        ("    format: csv", "    format: csv\n    sheet: Data", "only applies to xlsx"),
    ],
)
def test_validation_names_file_key_and_fix(tmp_path, old, new, needle):
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new))
    with pytest.raises(MappingError) as err:
        load_borough_mapping(path)
    message = str(err.value)
    assert str(path) in message
    assert needle in message
    assert " — " in message  # every message carries what to do


def test_invalid_yaml_names_the_file(tmp_path):
    path = _write(tmp_path, "borough_code: [unclosed\n")
    with pytest.raises(MappingError, match="not valid YAML"):
        load_borough_mapping(path)


def test_duplicate_borough_code_across_files(tmp_path):
    _write(tmp_path, MINIMAL)
    _write(tmp_path, MINIMAL.replace("slug: hackney", "slug: hackney2"), name="hackney2.yml")
    with pytest.raises(MappingError, match="E09000012 is also mapped"):
        load_borough_mappings(tmp_path)


def test_extra_boroughs_file_allows_synthetic_codes(tmp_path):
    _write(tmp_path, MINIMAL.replace("E09000012", "X99000001"))
    (tmp_path / "extra_boroughs.csv").write_text("borough_code,borough_name\nX99000001,Synthetic 1\n")
    assert load_borough_mappings(tmp_path)[0].borough_code == "X99000001"


def test_committed_borough_mappings_are_valid_and_cover_every_extract():
    mappings = load_borough_mappings(CONFIG)
    assert len(mappings) >= 8
    assert len({m.dialect for m in mappings}) >= 3
    for m in mappings:
        assert {s.extract for s in m.files} == set(CONTRACTS), m.slug
        assert {s.format for s in m.files} <= {"csv", "xlsx"}


# --------------------------------------------------------------------------------------------------
# file names: the whole name matches, ASCII digits only (issue 13)
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "hackney_contacts_2024-05.csv\n",  # '$' would match before a trailing newline
        "hackney_contacts_2024-05.csv Amelia Okonkwo",
        "x hackney_contacts_2024-05.csv",
        "hackney_contacts_\uff12\uff10\uff12\uff14-05.csv",  # full-width digits
        "hackney_contacts_\u0662\u0660\u0662\u0664-05.csv",  # Arabic-Indic digits
    ],
)
def test_a_name_matches_only_in_full_and_with_ascii_digits(tmp_path, name):
    unanchored = MINIMAL.replace("'^hackney_contacts_(?P<period>\\d{4}-\\d{2})\\.csv$'",
                                 "'hackney_contacts_(?P<period>\\d{4}-\\d{2})\\.csv'")
    for text in (MINIMAL, unanchored):
        assert load_borough_mapping(_write(tmp_path, text)).match(name) is None


def test_committed_patterns_describe_the_whole_name():
    """A name that follows an agreed pattern says nothing but borough, extract and period: so receipts may
    show it. No committed pattern lets free text (``.``, ``\\w``, ``\\S``) into the name."""
    for m in load_borough_mappings(CONFIG):
        for spec in m.files:
            start = spec.pattern.index("(?P<period>")
            depth, end = 0, start
            for end in range(start, len(spec.pattern)):
                depth += {"(": 1, ")": -1}.get(spec.pattern[end], 0)
                if depth == 0:
                    break
            outside_period = spec.pattern[:start] + spec.pattern[end + 1:]
            assert not re.search(r"(?<!\\)\.|\\[wWsSD]|\[\^", outside_period), (m.slug, spec.pattern)


# --------------------------------------------------------------------------------------------------
# free text (issue 13)
# --------------------------------------------------------------------------------------------------
FREE = MINIMAL.replace("      contact_date: ContactDate\n", "      contact_date: ContactDate\n      partner_name: Partner\n")


def test_free_text_columns_are_declared_with_a_policy(tmp_path):
    m = load_borough_mapping(_write(tmp_path, FREE + "    free_text: {partner_name: scrub}\n"))
    assert m.files[0].free_text == {"partner_name": "scrub"}
    m = load_borough_mapping(_write(tmp_path, FREE + "    free_text: {partner_name: drop}\n"))
    assert m.files[0].free_text == {"partner_name": "drop"}
    assert load_borough_mapping(_write(tmp_path, FREE)).files[0].free_text == {}


@pytest.mark.parametrize(
    ("free_text", "needle"),
    [
        ("{partner_name: keep}", "'keep' is not a free-text policy"),
        ("{contact_id: scrub}", "contact_id is not a free-text column (text, a reference)"),
        ("{hub_id: drop}", "hub_id is not a free-text column"),
        ("{contact_date: scrub}", "contact_date is not a free-text column (date)"),
        ("{venue: scrub}", "venue is not a free-text column (code)"),
        ("{nickname: scrub}", "unknown contract column for contacts"),
        ("[partner_name]", "expected 'contract column: policy' pairs"),
    ],
)
def test_free_text_validation_names_key_and_fix(tmp_path, free_text, needle):
    path = _write(tmp_path, FREE + f"    free_text: {free_text}\n")
    with pytest.raises(MappingError) as err:
        load_borough_mapping(path)
    assert needle in str(err.value) and "free_text" in str(err.value) and " — " in str(err.value)


def test_free_text_must_be_mapped(tmp_path):
    with pytest.raises(MappingError, match="is not mapped in columns"):
        load_borough_mapping(_write(tmp_path, MINIMAL + "    free_text: {partner_name: scrub}\n"))


def test_committed_mappings_scrub_partner_names():
    for m in load_borough_mappings(CONFIG):
        for spec in m.files:
            if spec.extract == "contacts":
                assert spec.free_text == {"partner_name": "scrub"}, m.slug


def test_landing_uses_the_one_loader_and_refuses_a_second_file_for_a_borough(tmp_path):
    """Landing used its own loader, where a second file mapping the same borough was taken as another borough."""
    import re
    import shutil

    from fhub.landing.land import load_mappings

    shutil.copy(CONFIG / "hackney.yml", tmp_path / "hackney.yml")
    text = (CONFIG / "hackney.yml").read_text(encoding="utf-8")
    (tmp_path / "hackney_copy.yml").write_text(re.sub(r"(?m)^slug: .*$", "slug: hackney_copy", text),
                                               encoding="utf-8")
    mappings, errors = load_mappings(tmp_path)
    assert list(mappings) == ["hackney"]
    assert list(errors) == ["hackney_copy"] and "is also mapped by" in errors["hackney_copy"]
    with pytest.raises(MappingError, match="is also mapped by"):
        load_borough_mappings(tmp_path)
