"""The substring scanners: the SQL pre-filter never hides a finding, every artefact type is read the way a
person would read it (HTML text and attributes, not SVG geometry or code), and a finding never holds the value."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from fhub.privacy import duckdb_functions, find_identifiers
from fhub.privacy.artefacts import project_sql_literals, reference_only_relations, scan_dbt_log
from fhub.privacy.findings import may_hold_identifier
from fhub.privacy.scan_files import (
    plaintext_needles,
    scan_html,
    scan_parquet,
    scan_sqlite,
    scan_text_file,
    scan_tree,
    scan_xlsx,
)
from tests.unit.test_identifiers import FOUND, NOT_FOUND

SPELLINGS = [t for t, _ in FOUND]
HASH = "a" * 10 + "1234567890" + "b" * 44


def _sql_prefilter(values: list[str]) -> list[bool]:
    con = duckdb.connect()
    con.execute("create table t as select unnest(?) as v, generate_subscripts(?, 1) as i", [values, values])
    rows = con.execute(f"select {duckdb_functions.may_hold_identifier_sql('v')} from t order by i").fetchall()
    return [r[0] for r in rows]


FILLER = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
DIGITISH = st.text(st.sampled_from("0123456789 -./()+\u00a0\u2009"), min_size=10, max_size=24)


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(st.one_of(FILLER, DIGITISH, st.sampled_from(SPELLINGS)), min_size=1, max_size=5))
def test_the_pre_filter_never_hides_an_identifier(parts):
    text = " ".join(parts)
    if find_identifiers(text):
        assert may_hold_identifier(text), text


def test_duckdb_and_python_read_the_pre_filter_alike():
    import random

    rng = random.Random(13)
    alphabet = "0123456789 -./()+@abcEQZ\u00a0\u2009"
    corpus = SPELLINGS + NOT_FOUND + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
                                      for _ in range(3000)]
    assert _sql_prefilter(corpus) == [may_hold_identifier(t) for t in corpus]


def test_the_pre_filter_lets_ordinary_values_through_unexamined():
    ordinary = [t for t in NOT_FOUND if t] + [HASH, "C000123", "HAC-H01", "2024-05-31", "P00012", "12.5",
                                              "E09000012", "Hackney Family Hub"]
    # many-digit decimals, date ranges and some letter-digit codes go on to Python, which says no
    examined = {"0.123456789012345", "value 1234567.891", "2024-05-01 - 2024-05-31", "2023/24 2024/25",
                "31/05/2024 01/06/2024", "20261204T155757Z-ab12cd", "h1 2em"}
    assert {t for t, hit in zip(ordinary, _sql_prefilter(ordinary), strict=True) if hit} == examined
    assert _sql_prefilter(SPELLINGS) == [True] * len(SPELLINGS)


def test_uuids_and_run_ids_are_machine_ids_not_identifiers():
    assert find_identifiers("run 0193a4b2-1234-7890-8123-456789abcdef ok") == []
    assert find_identifiers("E45 6AB") and find_identifiers("run 20261204T164831Z-e456ab") == []
    assert [f.kind for f in find_identifiers("0193a4b2-1234-7890-8123-456789abcdef 943 476 5919")] == ["nhs_number"]


def test_html_text_and_attributes_are_scanned_not_svg_geometry_or_code():
    page = """<html><head><style>.a{width:1234567890px}</style>
    <script>var big = 4294967296;</script>
    <script type="application/json">{"note": "call 020 7946 0000"}</script></head>
    <body><p>Child 943 476 5919 seen</p><td title="jo@example.org">x</td>
    <svg viewBox="0 0 1234567890 10"><path d="M 1234567890 0 L 1 2"/><title>NW1 2DB</title></svg></body></html>"""
    found = {(f.location.split(",")[0], f.kind, f.shape) for f in scan_html(page, "page.html")}
    assert found == {("text", "phone_number", "NNN NNNN NNNN"), ("text", "nhs_number", "NNN NNN NNNN"),
                     ("attribute title of <td>", "email", "an e-mail address"), ("text", "postcode", "AAN NAA")}


def test_text_csv_parquet_xlsx_and_sqlite(tmp_path: Path):
    (tmp_path / "receipt.md").write_text("row 4: hub\nrow 5: the value 943-476-5919 is not a hub\n")
    found = scan_text_file(tmp_path / "receipt.md", "receipt.md")
    assert [(f.location, f.kind, f.shape) for f in found] == [("line 2", "nhs_number", "NNN-NNN-NNNN")]

    con = duckdb.connect()
    con.execute(f"copy (select 'x' as a, 'mail jo@example.org' as b) to '{tmp_path / 'e.parquet'}' (format parquet)")
    con.close()
    assert [(f.location, f.kind) for f in scan_parquet(tmp_path / "e.parquet", "e.parquet")] == [("column b", "email")]

    book = openpyxl.Workbook()
    book.active.title = "SW1A 1AA"
    book.active.append(["fine", "lives at E8 1DY", 9434765919])
    book.save(tmp_path / "t.xlsx")
    kinds = sorted(f.kind for f in scan_xlsx(tmp_path / "t.xlsx", "t.xlsx"))
    assert kinds == ["nhs_number", "postcode", "postcode"]

    db = sqlite3.connect(tmp_path / "prefect.db")
    db.execute("create table log (id text, message text)")
    db.execute("insert into log values ('0193a4b2-1234-7890-8123-456789abcdef', 'file 9434765919.csv landed')")
    db.commit()
    db.close()
    found = scan_sqlite(tmp_path / "prefect.db", "prefect.db")
    assert [(f.location, f.kind, f.shape) for f in found] == [("log.message", "nhs_number", "10 digits")]


def test_tree_scan_and_plaintext_needles(tmp_path: Path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.md").write_text("NI QQ 12 34 56 C\n")
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "x.csv").write_text("9434765919,Amelia\n")
    found = scan_tree(tmp_path, skip=["incoming"])
    assert [(f.artefact, f.kind) for f in found] == [("reports/a.md", "ni_number")]
    assert plaintext_needles(tmp_path, ["Amelia"]) == ["incoming/x.csv: needle #0"]
    assert plaintext_needles(tmp_path, ["Amelia"], skip=["incoming"]) == []
    for f in found:
        assert "12 34 56" not in f.describe() and "QQ" not in f.describe()


def test_reference_only_relations_follow_dbt_lineage(tmp_path: Path):
    manifest = {
        "sources": {"source.p.dfe.lait": {"schema": "ref"}, "source.p.hubs.contacts": {"schema": "raw"}},
        "nodes": {
            "model.p.stg_dfe__lait": {"schema": "staging", "alias": "stg_dfe__lait",
                                      "depends_on": {"nodes": ["source.p.dfe.lait"]}},
            "model.p.int_gld": {"schema": "intermediate", "alias": "int_gld",
                                "depends_on": {"nodes": ["model.p.stg_dfe__lait", "seed.p.targets"]}},
            "model.p.fct": {"schema": "marts", "alias": "fct",
                            "depends_on": {"nodes": ["model.p.int_gld", "source.p.hubs.contacts"]}},
            "model.p.dim": {"schema": "marts", "alias": "dim", "depends_on": {"nodes": ["seed.p.targets"]}},
        },
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert reference_only_relations(path) == {("staging", "stg_dfe__lait"), ("intermediate", "int_gld")}


def test_dbt_log_masks_test_ids_and_the_projects_own_literals(tmp_path: Path):
    project = Path(__file__).resolve().parents[2]
    assert "4294967296" in project_sql_literals(project)
    log = tmp_path / "dbt.log"
    log.write_text("Began running node test.family_hubs.unique_fct_x.9825842770\n"
                   "  rank * 4294967296 + row\n"
                   "  a 9434765919 slipped in\n")
    found = scan_dbt_log(log, "logs/dbt.log", project_sql_literals(project))
    assert [(f.location, f.kind) for f in found] == [("line 3", "nhs_number")]
