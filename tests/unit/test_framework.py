"""fhub.framework: the framework as data - the shipped starter catalogue, and XLSX load/validate/write."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from fhub import framework
from fhub.framework import (
    FrameworkError,
    check_seeds,
    export_workbook,
    load_workbook,
    read_seeds,
    write_seeds,
)

REPO = Path(__file__).resolve().parents[2]


def test_shipped_starter_catalogue_is_valid_and_complete():
    tables = check_seeds()
    metrics = tables["framework_metrics"]
    assert len(metrics) >= 40
    cells = {(m["domain"], m["layer"]) for m in metrics}
    assert cells == {(d, layer) for d in framework.DOMAINS for layer in framework.LAYERS}
    ids = {m["metric_id"] for m in metrics}
    # what issue 3 requires at least
    required = {
        "eyfs_gld", "eyfs_all_elgs", "eyfs_avg_elgs", "eyfs_comm_lang_lit", "eyfs_gld_fsm_gap",
        "asq_all_five", "asq_communication", "asq_gross_motor", "asq_fine_motor", "asq_problem_solving",
        "asq_personal_social", "swemwbs_mean_change", "swemwbs_meaningful_improvement", "reach_under5",
        "reach_under5_imd_q1", "families_engaged_3plus", "contacts_attended", "contacts_commissioned_share",
        "referrals_made", "referrals_accepted", "referral_days_to_outcome", "dna_rate",
    }
    assert required <= ids
    assert sum(1 for m in ids if m.startswith("eyfs_area_")) == 7
    declared = [m for m in metrics if m["status"] == "declared"]
    assert declared and all(m["data_needed"] for m in declared)
    assert {m["framework_version"] for m in metrics} == {"starter-0.1"}


def test_glossary_doc_block_matches_the_seed():
    doc = (REPO / "docs" / "dbt" / "outcomes.md").read_text()
    block = re.search(r"{% docs framework_glossary %}(.*?){% enddocs %}", doc, re.S).group(1)
    with open(REPO / "seeds" / "framework" / "framework_glossary.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            assert f"| {row['term']} | {row['definition']} |" in block


def test_swemwbs_conversion_seed_is_the_published_table():
    with open(REPO / "seeds" / "framework" / "swemwbs_conversion.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["raw_total"]) for r in rows] == list(range(7, 36))
    scores = [float(r["metric_score"]) for r in rows]
    assert scores[0] == 7.0 and scores[-1] == 35.0 and scores[14] == 19.25
    assert scores == sorted(scores)


def test_workbook_round_trip(tmp_path):
    book = export_workbook(tmp_path / "framework.xlsx")
    tables = load_workbook(book)
    assert tables == read_seeds()
    out = tmp_path / "seeds"
    write_seeds(tables, out)
    for name in framework.TABLES:
        assert (out / f"{name}.csv").read_text() == (framework.SEEDS_DIR / f"{name}.csv").read_text()


def _edit(book: Path, sheet: str, row: int, column: str, value) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row=row, column=header.index(column) + 1).value = value
    wb.save(book)


def test_bad_workbook_lists_every_problem_with_sheet_row_column_and_fix(tmp_path):
    book = export_workbook(tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(book)
    metrics = wb["framework_metrics"]
    header = [c.value for c in metrics[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    metrics.cell(row=2, column=col["polarity"], value="higher")          # not an allowed polarity
    metrics.cell(row=3, column=col["metric_id"], value=metrics.cell(row=2, column=col["metric_id"]).value)  # dup
    metrics.cell(row=4, column=col["indicator_id"], value="no_such_indicator")
    metrics.cell(row=5, column=col["metric_name"]).value = None            # required, empty
    # the only happy / layer 3 metric goes to declared with no data_needed, then is removed from its cell
    for r in range(2, metrics.max_row + 1):
        if metrics.cell(row=r, column=col["metric_id"]).value == "family_experience_good":
            metrics.cell(row=r, column=col["data_needed"]).value = None
            metrics.cell(row=r, column=col["layer"], value=2)
            happy3_row = r
    del wb["framework_glossary"]                                          # missing sheet
    wb.save(book)

    with pytest.raises(FrameworkError) as err:
        load_workbook(book)
    problems = err.value.problems
    text = str(err.value)

    def has(sheet, row, column, fragment):
        return any(p.sheet == sheet and p.row == row and p.column == column and fragment in p.message
                   for p in problems)

    assert has("framework_metrics", 2, "polarity", "'higher' is not allowed")
    assert has("framework_metrics", 3, "metric_id", "duplicate of row 2")
    assert has("framework_metrics", 4, "indicator_id", "not on the indicators sheet")
    assert has("framework_metrics", 5, "metric_name", "is empty")
    assert has("framework_metrics", happy3_row, "data_needed", "declared metric")
    assert has("framework_metrics", happy3_row, "domain/layer", "its indicator's outcome")
    assert has("framework_metrics", None, None, "no metric for domain 'happy', layer 3")
    assert has("framework_glossary", None, None, "sheet is missing")
    assert "use one of: high_is_good, low_is_good, no_judgement" in text
    assert all(p.fix for p in problems)


def test_mixed_framework_versions_and_missing_column(tmp_path):
    book = export_workbook(tmp_path / "mixed.xlsx")
    _edit(book, "framework_domains", 2, "framework_version", "borough-2.0")
    wb = openpyxl.load_workbook(book)
    wb["framework_layers"].delete_cols(2)  # layer_name
    wb.save(book)
    with pytest.raises(FrameworkError) as err:
        load_workbook(book)
    messages = [str(p) for p in err.value.problems]
    assert any("more than one framework version" in m and "borough-2.0" in m for m in messages)
    assert any("'framework_layers', row 1, column 'layer_name'" in m and "missing from the header" in m
               for m in messages)


def test_not_a_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "framework.xlsx"
    path.write_text("metric_id,metric_name\n")
    with pytest.raises(FrameworkError) as err:
        load_workbook(path)
    assert "cannot be opened as an .xlsx workbook" in str(err.value)


def test_cli_check_only_writes_nothing(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(framework.SEEDS_DIR, seeds)
    book = export_workbook(tmp_path / "ok.xlsx", seeds)
    _edit(book, "framework_glossary", 2, "definition", "Changed definition.")
    before = (seeds / "framework_glossary.csv").read_text()
    assert framework.main(["load", str(book), "--seeds-dir", str(seeds), "--check"]) == 0
    assert (seeds / "framework_glossary.csv").read_text() == before
    assert framework.main(["load", str(book), "--seeds-dir", str(seeds)]) == 0
    assert "Changed definition." in (seeds / "framework_glossary.csv").read_text()
    _edit(book, "framework_metrics", 2, "unit", "furlongs")
    assert framework.main(["load", str(book), "--seeds-dir", str(seeds)]) == 2
    assert "column 'unit'" in capsys.readouterr().err
