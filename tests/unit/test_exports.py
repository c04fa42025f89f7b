"""Exports in the formats DfE's own tools expect (issue 16, point 8): CSV + EES metadata that passes the
checker, Parquet with column descriptions, a workbook per borough, a data dictionary."""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from openpyxl import load_workbook

from fhub.exports.ees_check import check_export_folder, check_pair, failures
from fhub.exports.parquet import column_descriptions
from fhub.exports.symbols import symbol_codes
from fhub.exports.write import write_export_files
from fhub.report.sample import build_sample_published

NAMES = ("indicator_values", "boroughs", "hubs", "dq_scorecard", "gld_target_tracker", "run_manifest")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, dbt_target):
    root = tmp_path_factory.mktemp("exports")
    published = build_sample_published(root / "pub.duckdb")
    con = duckdb.connect(str(published))
    con.execute("create table deliveries as select distinct borough_code from boroughs limit 2")
    con.execute("comment on column indicator_values.value is 'The value, in the metric''s unit.'")
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    con.close()
    folder = root / "out"
    folder.mkdir()
    write_export_files(published, folder, "r1", tables, dbt_target=dbt_target, code_version="git-abc1234")
    return folder, tables, published


def test_every_csv_has_a_meta_file_that_passes_the_ees_rules(exported):
    folder, tables, _ = exported
    results = check_export_folder(folder)
    assert set(results) == set(tables)
    assert failures(results) == []
    with open(folder / "indicator_values.meta.csv", encoding="utf-8") as fh:
        meta = {r["col_name"]: r for r in csv.DictReader(fh)}
    assert meta["value"]["col_type"] == "Indicator" and meta["value"]["indicator_dp"] == "1"
    assert meta["numerator"]["indicator_dp"] == "0"
    assert meta["metric_id"]["col_type"] == "Filter" and meta["metric_id"]["indicator_unit"] == ""


def test_an_empty_figure_holds_its_symbol_never_a_blank(exported):
    folder, _, published = exported
    con = duckdb.connect(str(published), read_only=True)
    suppressed = con.execute("select count(*) from indicator_values where value is null and suppression_symbol = 'c'"
                             ).fetchone()[0]
    con.close()
    assert suppressed
    with open(folder / "indicator_values.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(r["value"] == "c" for r in rows) == suppressed
    assert all(r["value"] != "" for r in rows)


BROKEN = [
    ("col_req_meta", lambda rows: [{k: v for k, v in r.items() if k != "indicator_dp"} for r in rows]),
    ("meta_col_type", lambda rows: [{**rows[0], "col_type": "Dimension"}, *rows[1:]]),
    ("meta_duplicate_label", lambda rows: [rows[0], {**rows[1], "label": rows[0]["label"]}, *rows[2:]]),
    ("meta_label", lambda rows: [{**rows[0], "label": ""}, *rows[1:]]),
    ("meta_col_name_spaces", lambda rows: [{**rows[0], "col_name": "metric id"}, *rows[1:]]),
    ("meta_ind_unit", lambda rows: [{**r, "indicator_unit": "%"} if r["col_type"] == "Filter" else r for r in rows]),
    ("meta_ind_unit_validation",
     lambda rows: [{**r, "indicator_unit": "percent"} if r["col_type"] == "Indicator" else r for r in rows]),
    ("meta_ind_dp_values",
     lambda rows: [{**r, "indicator_dp": "1.5"} if r["col_type"] == "Indicator" else r for r in rows]),
    ("meta_filter_hint",
     lambda rows: [{**r, "filter_hint": "pick one"} if r["col_type"] == "Indicator" else r for r in rows]),
    ("meta_col_name_duplicate", lambda rows: [*rows, rows[0]]),
    ("meta_geog_catch", lambda rows: [*rows, {**rows[0], "col_name": "la_name", "label": "LA"}]),
    ("cross_meta_to_data", lambda rows: [*rows, {**rows[0], "col_name": "not_in_data", "label": "Nowhere"}]),
]


@pytest.mark.parametrize(("rule", "break_it"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_meta_file_fails_the_checker(exported, tmp_path, rule, break_it):
    folder, _, _ = exported
    shutil.copy(folder / "indicator_values.csv", tmp_path / "indicator_values.csv")
    with open(folder / "indicator_values.meta.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    broken = break_it(rows)
    with open(tmp_path / "indicator_values.meta.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(broken[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(broken)
    found = check_pair(tmp_path / "indicator_values.csv", tmp_path / "indicator_values.meta.csv")
    assert rule in {f.rule for f in found if f.level == "FAIL"}, found


def test_a_blank_indicator_cell_or_a_missing_meta_file_fails(exported, tmp_path):
    folder, _, _ = exported
    shutil.copy(folder / "indicator_values.meta.csv", tmp_path / "indicator_values.meta.csv")
    text = (folder / "indicator_values.csv").read_text(encoding="utf-8").replace(",c,", ",,", 1)
    (tmp_path / "indicator_values.csv").write_text(text, encoding="utf-8")
    shutil.copy(folder / "boroughs.csv", tmp_path / "boroughs.csv")
    results = check_export_folder(tmp_path)
    assert {f.rule for f in results["indicator_values"]} >= {"ind_invalid_entry"}
    assert [f.rule for f in results["boroughs"]] == ["meta_file"]


def test_parquet_carries_the_dbt_column_descriptions(exported):
    folder, _, _ = exported
    described = column_descriptions(folder / "indicator_values.parquet")
    assert described["value"] and described["geography_code"]  # from the dbt docs of fct_indicator_values
    assert set(described) >= {"metric_id", "value", "suppression_symbol"}


def test_a_workbook_per_delivering_borough_with_cover_notes_and_the_full_symbols_key(exported):
    folder, _, published = exported
    con = duckdb.connect(str(published), read_only=True)
    codes = sorted(r[0] for r in con.execute("select borough_code from deliveries").fetchall())
    con.close()
    books = sorted(p.stem for p in (folder / "workbooks").glob("*.xlsx"))
    assert books == codes
    wb = load_workbook(folder / "workbooks" / f"{codes[0]}.xlsx", read_only=True)
    assert wb.sheetnames[:3] == ["Cover", "Notes", "Symbols"] and "Indicator values" in wb.sheetnames
    symbols = [r[0] for r in wb["Symbols"].iter_rows(min_row=2, values_only=True)]
    assert symbols == list(symbol_codes()) and {"c", "x", "z", "p"} <= set(symbols)
    cover = " ".join(str(r[0]) for r in wb["Cover"].iter_rows(values_only=True) if r and r[0])
    assert codes[0] in cover and "r1" in cover
    values = list(wb["Indicator values"].iter_rows(values_only=True))
    header = values[0]
    at = header.index("geography_code")
    assert all(row[at] == codes[0] or row[at].startswith(("HAC", "MER", "WES", "CAM")) for row in values[1:])


def test_the_data_dictionary_documents_every_relation_and_column(exported):
    folder, tables, published = exported
    with open(folder / "data-dictionary.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["relation"] for r in rows} == set(tables)
    value = next(r for r in rows if r["relation"] == "indicator_values" and r["column_name"] == "value")
    assert value["description"] and value["ees_col_type"] == "Indicator"
    assert "## `indicator_values`" in (folder / "data-dictionary.md").read_text(encoding="utf-8")


def test_a_figure_that_is_not_a_number_is_written_as_its_symbol_not_a_crash(tmp_path, dbt_target):
    # a NaN or infinite double (e.g. 0/0 in a rate when a reference figure is missing) must not stop the exports:
    # a spreadsheet cannot hold one, so the workbook shows the row's symbol (else "x")
    published = build_sample_published(tmp_path / "pub.duckdb")
    con = duckdb.connect(str(published))
    con.execute("create table deliveries as select distinct borough_code from boroughs limit 1")
    code = con.execute("select borough_code from deliveries").fetchone()[0]
    changed = con.execute("update indicator_values set value = 'nan'::double, suppression_symbol = null "
                          "where geography_code = ? and value is not null", [code]).fetchall()
    assert changed[0][0] > 0
    tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    con.close()
    folder = tmp_path / "out"
    folder.mkdir()
    write_export_files(published, folder, "r1", tables, dbt_target=dbt_target, code_version="git-abc1234")
    wb = load_workbook(folder / "workbooks" / f"{code}.xlsx", read_only=True)
    rows = list(wb["Indicator values"].iter_rows(values_only=True))
    at = rows[0].index("value")
    assert rows[1:] and all(row[at] is not None for row in rows[1:])
    assert "x" in {row[at] for row in rows[1:]}


def test_the_checker_reads_any_column_name_and_folder_name(tmp_path):
    """Names are quoted as SQL identifiers and literals (fhub.landing.sqlkit): a double quote in a column name or an
    apostrophe in the folder's name is read, not a crash."""
    folder = tmp_path / "o'brien"
    folder.mkdir()
    (folder / "t.csv").write_text('rate,"a""b"\n1,x\n2,y\n', encoding="utf-8")
    (folder / "t.meta.csv").write_text(
        "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,filter_grouping_column\n"
        "rate,Indicator,Rate,,,0,,\n", encoding="utf-8")
    found = check_pair(folder / "t.csv", folder / "t.meta.csv")
    assert [(f.rule, f.level) for f in found] == [("cross_data_to_meta", "WARNING")]
    assert 'a"b' in found[0].message
