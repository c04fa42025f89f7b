"""Reference adapters: land real-file layouts as they are and report every quirk with file, row, column."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from fhub.reference import ensure_reference_tables, land_reference, land_reference_into, load_config
from fhub.reference.config import CONFIG_FILE
from fhub.settings import Paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference"
CONFIG = load_config()


def _header(table: str) -> list[str]:
    return [c.source for c in CONFIG.source(table).columns]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _las(real: Path) -> None:
    _write_csv(
        real / "dfe-analytical-services__dfe-published-data-qa" / "las.csv",
        _header("dfe_las"),
        [
            ["E09000007", "Camden", "01/01/2009", "", "E12000007", "E09", "London Boroughs", "live", "202"],
            [
                "E09000021 / E09000027",
                "Kingston upon Thames / Richmond upon Thames",
                "01/01/2009",
                "",
                "E12000007",
                "E09",
                "London Boroughs",
                "live",
                "314 / 318",
            ],
        ],
    )
    _write_csv(
        real / "dfe-analytical-services__dfe-published-data-qa" / "regions.csv",
        _header("dfe_regions"),
        [["E12000007", "London"], ["E13000001", "Inner London"], ["E13000002", "Outer London"]],
    )


def _underlying_row(la_code="E09000007", name="Camden", gender="Total", gld="1146") -> list[str]:
    return [
        "Academic Year",
        "201819",
        "Local Authority",
        "E92000001",
        "England",
        "E13000001",
        "Inner London",
        "202",
        la_code,
        name,
        gender,
        "1574",
        "55000",
        "34.9",
        "1100",
        "69.9",
        gld,
        "72.8",
        "1150",
        "73.1",
    ]


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def _issues(result, kind):
    return [i for i in result.issues if i.issue == kind]


def test_missing_folder_is_a_clear_skip_and_tables_still_exist(con, tmp_path):
    result = land_reference_into(con, tmp_path / "nowhere", "run-1")
    assert result.skipped_reason and "FHUB_REAL_DATA_DIR" in result.skipped_reason
    assert result.files == []
    for src in CONFIG.sources:  # dbt sources always exist, empty
        assert con.execute(f"select count(*) from {src.qualified}").fetchone()[0] == 0
    assert con.execute("select count(*) from ref.reference_issues").fetchone()[0] == 0


def test_current_ees_layout_fixture_lands_with_lineage(con, tmp_path):
    real = tmp_path / "real"
    src = FIXTURES / "ees_current" / "1_eyfsp_headline_measures_2022_2025.csv"
    dest = real / "downloads" / src.name
    dest.parent.mkdir(parents=True)
    shutil.copy(src, dest)
    result = land_reference_into(con, real, "run-7")
    assert [f.status for f in result.files] == ["landed"]
    row = con.execute(
        "select time_period_int, sex, children_count_int, gld_children_count_int, gld_children_percent, "
        "gld_children_percent_num, _source_file, _sha256, _row_number, _run_id "
        "from ref.dfe_eyfsp_headline_2022_2025"
    ).fetchone()
    sha = hashlib.sha256(dest.read_bytes()).hexdigest()
    assert row == (
        202425,
        "Total",
        589471,
        402591,
        "68.296998",
        68.296998,
        "downloads/1_eyfsp_headline_measures_2022_2025.csv",
        sha,
        1,
        "run-7",
    )
    assert round(100 * 402591 / 589471, 1) == round(row[5], 1) == 68.3
    assert "dfe_eyfsp_la_2013_2019" in result.missing_sources


def test_same_file_is_skipped_by_checksum_and_a_changed_file_replaces_its_rows(con, tmp_path):
    real = tmp_path / "real"
    path = _write_csv(
        real / "n" / "APS_GLD_ELG_EXP_2013_2019.csv", _header("dfe_eyfsp_la_2013_2019"), [_underlying_row()]
    )
    first = land_reference_into(con, real, "run-1")
    second = land_reference_into(con, real, "run-2")
    assert [f.status for f in first.files] == ["landed"]
    assert [f.status for f in second.files] == ["unchanged"]
    _write_csv(path, _header("dfe_eyfsp_la_2013_2019"), [_underlying_row(), _underlying_row(gender="Girls")])
    third = land_reference_into(con, real, "run-3")
    assert [f.status for f in third.files] == ["landed"]
    rows = con.execute("select _run_id, count(*) from ref.dfe_eyfsp_la_2013_2019 group by 1").fetchall()
    assert rows == [("run-3", 2)]


def test_renamed_column_rejects_the_file_and_names_the_expected_column(con, tmp_path):
    real = tmp_path / "real"
    header = _header("dfe_eyfsp_la_2013_2019")
    header[header.index("gld_percent")] = "gld_pct"
    _write_csv(real / "n" / "APS_GLD_ELG_EXP_2013_2019.csv", header, [_underlying_row()])
    result = land_reference_into(con, real, "run-1")
    assert [f.status for f in result.files] == ["rejected"]
    (problem,) = _issues(result, "renamed_column")
    assert problem.severity == "error" and problem.column_name == "gld_percent"
    assert "'gld_pct'" in problem.detail and "sources.yml" in problem.detail
    assert problem.source_file == "n/APS_GLD_ELG_EXP_2013_2019.csv"
    assert con.execute("select count(*) from ref.dfe_eyfsp_la_2013_2019").fetchone()[0] == 0
    assert not result.ok
    again = land_reference_into(con, real, "run-2")  # still rejected, reported once (not accumulated)
    assert [f.status for f in again.files] == ["rejected"]
    assert con.execute("select count(*), max(run_id) from ref.reference_issues").fetchone() == (1, "run-2")


def test_duplicated_row_is_reported_with_both_row_numbers_and_kept(con, tmp_path):
    real = tmp_path / "real"
    _write_csv(
        real / "n" / "APS_GLD_ELG_EXP_2013_2019.csv",
        _header("dfe_eyfsp_la_2013_2019"),
        [_underlying_row(), _underlying_row(gender="Girls"), _underlying_row()],
    )
    result = land_reference_into(con, real, "run-1")
    (dup,) = _issues(result, "duplicate_row")
    assert dup.row_number == 3 and "row 1" in dup.detail
    assert con.execute("select count(*) from ref.dfe_eyfsp_la_2013_2019").fetchone()[0] == 3


def test_unknown_la_code_is_reported_against_the_landed_lookup(con, tmp_path):
    real = tmp_path / "real"
    _las(real)
    _write_csv(
        real / "n" / "APS_GLD_ELG_EXP_2013_2019.csv",
        _header("dfe_eyfsp_la_2013_2019"),
        [_underlying_row(), _underlying_row(la_code="E09000099", name="Nowhere")],
    )
    result = land_reference_into(con, real, "run-1")
    unknown = _issues(result, "unknown_la_code")
    assert [(i.row_number, i.column_name, i.value_excerpt) for i in unknown] == [
        (2, "new_la_code", "E09000099")
    ]
    stored = con.execute(
        "select source_file, row_number, column_name, issue from ref.reference_issues where issue = 'unknown_la_code'"
    ).fetchall()
    assert stored == [("n/APS_GLD_ELG_EXP_2013_2019.csv", 2, "new_la_code", "unknown_la_code")]


def test_lait_parquet_dash_float_artefact_forward_fill_and_la_number(con, tmp_path):
    real = tmp_path / "real" / "dfe-analytical-services__local-authority-interactive-tool"
    real.mkdir(parents=True)
    _las(tmp_path / "real")
    pq = real / "bds_long_0.parquet"
    con.execute(
        f"""copy (select * from (values
            ('FSP_NEW_GOODDEV', 'FSP (NEW) - % achieving GLD', '2019', 'Camden', '72.8', 202.0, 'Inner London'),
            ('FSP_NEW_GOODDEV', null, '2020', 'Camden', '-', 202.0, 'Inner London'),
            ('FSP_NEW_GOODDEV', null, '2023', 'London', '69.099999999999994', 999.0, 'NA'),
            ('OTHER', 'Other item', '2019', 'Camden', '1', 202.0, 'Inner London'),
            ('OTHER', null, '2020', 'Camden', 'n.a', 202.0, 'Inner London')
          ) t("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"))
          to '{pq}' (format parquet)"""
    )
    result = land_reference_into(con, tmp_path / "real", "run-1")
    rows = con.execute(
        "select _row_number, data_item_filled, lait_value, lait_value_num, la_number, la_number_int "
        "from ref.dfe_lait_bds_long order by _row_number"
    ).fetchall()
    assert rows[1] == (2, "FSP (NEW) - % achieving GLD", "-", None, "202.0", 202)
    assert rows[2][3] == 69.1 and rows[2][2] == "69.099999999999994"
    assert rows[4][1] == "Other item"  # forward fill restarts per indicator
    (dash,) = _issues(result, "missing_marker")
    assert (dash.row_number, dash.column_name, dash.value_excerpt, dash.severity) == (
        2,
        "Values",
        "-",
        "info",
    )
    (bad,) = _issues(result, "unparseable_value")
    assert (bad.row_number, bad.value_excerpt) == (5, "n.a")
    (unknown,) = _issues(result, "unknown_la_code")  # 999 is no DfE LA number
    assert (unknown.row_number, unknown.column_name, unknown.value_excerpt) == (3, "la_number_int", "999")


def test_fingertips_quoted_newline_and_short_rows_are_reported(con, tmp_path):
    real = tmp_path / "real"
    header = _header("ohid_fingertips_export")
    assert len(header) == 26
    row = [
        "93356",
        "Campylobacter incidence rate/100,000\n",
        "",
        "",
        "E92000001",
        "England",
        "Country",
        "Persons",
        "All ages",
        "",
        "",
        "2015",
        "94.7",
        "93.9",
        "95.5",
        "",
        "",
        "51897",
        "54786327",
        "",
        "",
        "Not compared",
        "Not compared",
        "20150000",
        "",
    ]  # 25 fields, as in the real export
    _write_csv(real / "jargonautical__data-dev" / "indicators-CountyUA.data.csv", header, [row])
    result = land_reference_into(con, real, "run-1")
    (nl,) = _issues(result, "quoted_newline")
    assert (nl.row_number, nl.column_name) == (1, "Indicator Name")
    (short,) = _issues(result, "ragged_row")
    assert "25 fields" in short.detail
    name, value = con.execute("select indicator_name, value_num from ref.ohid_fingertips_export").fetchone()
    assert name == "Campylobacter incidence rate/100,000\n" and value == 94.7


def test_statistical_neighbours_xlsx_three_header_rows_duplicate_names(con, tmp_path):
    real = tmp_path / "real" / "dfe-analytical-services__local-authority-interactive-tool"
    real.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LA SN Groups"
    header = _header("dfe_statistical_neighbours_2025")
    ws.append(["A", "B", "C", "D", "E", *range(3, 23)])
    ws.append(list(range(1, 26)))
    ws.append(header)
    ws.append(
        [202, "Camden", 202, 3, "London (Inner)"] + [x for r in range(10) for x in (206 + r, "Very close")]
    )
    ws.append([None] * 25)  # a blank row between data rows: skipped and reported
    ws.append(
        [206, "Islington", 206, 3, "London (Inner)"] + [x for r in range(10) for x in (202 + r, "Close")]
    )
    wb.save(real / "sn_may_2025.xlsx")
    result = land_reference_into(con, tmp_path / "real", "run-1")
    assert [f.status for f in result.files] == ["landed"]
    rows = con.execute(
        "select la_num_int, sn1_int, snp1, sn10_int, snp10, _row_number from ref.dfe_statistical_neighbours_2025 "
        "order by _row_number"
    ).fetchall()
    assert rows == [(202, 206, "Very close", 215, "Very close", 1), (206, 202, "Close", 211, "Close", 2)]
    assert [i.detail for i in _issues(result, "blank_rows_skipped")] == [
        "1 fully blank spreadsheet rows skipped"
    ]


def test_land_reference_writes_the_work_file(tmp_path, monkeypatch):
    monkeypatch.setenv("FHUB_DATA_DIR", str(tmp_path / "data"))
    paths = Paths.from_env()
    real = tmp_path / "real"
    _las(real)
    result = land_reference(paths, "run-9", real_dir=real, progress=lambda _m: None)
    assert result.ok and "2 landed" in result.summary()
    with duckdb.connect(str(paths.work_db), read_only=True) as c:
        assert c.execute("select count(*) from ref.dfe_las").fetchone()[0] == 2
        assert (
            c.execute("select count(*) from ref.reference_files where status = 'landed'").fetchone()[0] == 2
        )


def test_config_mistakes_name_the_entry(tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text(CONFIG_FILE.read_text().replace("format: parquet", "format: sas7bdat"))
    with pytest.raises(ValueError, match="dfe_lait_bds_long.*sas7bdat"):
        load_config(bad)


def test_ensure_reference_tables_is_idempotent(con):
    ensure_reference_tables(con)
    ensure_reference_tables(con)
    cols = [r[0] for r in con.execute("describe ref.dfe_lait_bds_long").fetchall()]
    assert cols[-5:] == ["_source_file", "_sha256", "_row_number", "_loaded_at", "_run_id"]
    assert "lait_value_num" in cols and "data_item_filled" in cols


def test_result_as_dict_summarises_for_the_flow(con, tmp_path):
    import json

    real = tmp_path / "real"
    header = _header("dfe_eyfsp_la_2013_2019")
    header[0] = "time_id"
    _write_csv(real / "n" / "APS_GLD_ELG_EXP_2013_2019.csv", header, [_underlying_row()])
    d = land_reference_into(con, real, "run-1").as_dict()
    json.dumps(d)
    assert d["ok"] is False and d["issue_counts"] == {"dfe_eyfsp_la_2013_2019:renamed_column": 1}
    assert d["issues"][0]["column_name"] == "time_identifier"
    assert d["files"][0]["status"] == "rejected"


# ------------------------------------------------------------------ a pinned (fetched) folder lands only pinned bytes
def test_a_pinned_folder_lands_only_the_pinned_bytes_and_keeps_earlier_figures(con, tmp_path):
    real = tmp_path / "reference"
    _las(real)
    las = "dfe-analytical-services__dfe-published-data-qa/las.csv"
    regions = "dfe-analytical-services__dfe-published-data-qa/regions.csv"
    pinned = {las: hashlib.sha256((real / las).read_bytes()).hexdigest(), regions: None}
    first = land_reference_into(con, real, "run-1", pins=pinned)
    assert {f.source_file: f.status for f in first.files} == {las: "landed", regions: "rejected"}
    [waiting] = _issues(first, "pin_mismatch")
    assert (waiting.source_file, waiting.severity) == (regions, "error")
    assert "--accept-new" in waiting.detail
    assert con.execute("select count(*) from ref.dfe_regions").fetchone()[0] == 0

    # someone drops other bytes in place of the pinned las.csv: refused, yesterday's rows stay
    _write_csv(
        real / las,
        _header("dfe_las"),
        [["E09000001", "City of London", "", "", "", "E09", "", "live", "201"]],
    )
    second = land_reference_into(con, real, "run-2", pins=pinned)
    assert [f.status for f in second.files if f.source_file == las] == ["rejected"]
    [changed] = [i for i in _issues(second, "pin_mismatch") if i.source_file == las]
    assert "is not the pinned" in changed.detail and "fhub reference fetch" in changed.detail
    names = con.execute("select la_name from ref.dfe_las order by _row_number").fetchall()
    assert names == [("Camden",), ("Kingston upon Thames / Richmond upon Thames",)]


def test_a_file_that_is_no_pinned_download_is_not_landed_from_a_pinned_folder(con, tmp_path):
    real = tmp_path / "reference"
    _las(real)
    extra = _write_csv(
        real / "mine" / "APS_GLD_ELG_EXP_2013_2019.csv",
        _header("dfe_eyfsp_la_2013_2019"),
        [_underlying_row()],
    )
    pins = {
        p.relative_to(real).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in real.rglob("*.csv")
        if p != extra
    }
    result = land_reference_into(con, real, "run-1", pins=pins)
    [refused] = _issues(result, "unpinned_file")
    assert (
        refused.source_file == "mine/APS_GLD_ELG_EXP_2013_2019.csv" and "FHUB_REAL_DATA_DIR" in refused.detail
    )
    assert con.execute("select count(*) from ref.dfe_eyfsp_la_2013_2019").fetchone()[0] == 0
    # without pins (a folder of the user's own) the same file lands
    assert land_reference_into(con, real, "run-2").ok
    assert con.execute("select count(*) from ref.dfe_eyfsp_la_2013_2019").fetchone()[0] == 1


def test_no_folder_chosen_is_a_skip_with_the_callers_explanation(con):
    result = land_reference_into(con, None, "run-1", absent_reason="no reference data: nothing anywhere")
    assert result.skipped_reason == "no reference data: nothing anywhere"
    assert result.summary() == "reference data skipped: no reference data: nothing anywhere"
    assert con.execute("select count(*) from ref.dfe_las").fetchone()[0] == 0
