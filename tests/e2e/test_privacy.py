"""Nothing raw leaks: no table in the work or published file, no export and no receipt holds an NHS number,
UPN, full postcode or any of the names the demo extracts carried; no text column of the work file (raw,
staging, marts, landing, dq) holds an identifier-like substring - the demo's partner names carry typed phone
numbers, e-mail addresses and NHS numbers, which landing scrubs; no file name is published; published counts are
suppressed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from fhub.privacy import find_needles
from fhub.privacy.artefacts import work_file_filter
from fhub.privacy.scan_duckdb import scan_catalog

pytestmark = pytest.mark.e2e

PERSONAL_COLUMNS = {"NHS Number", "UPN", "First Name", "Surname", "Postcode", "Address"}
#: Published DfE statistics are unsuppressed at LA level by design (statistics.md).
PUBLISHED_STATISTICS = "metric_id like '%dfe_published%'"


def _personal_values(incoming: Path) -> dict[str, set[str]]:
    """Every value of a personal column in the delivered CSV files (what must never reach the warehouse)."""
    values: dict[str, set[str]] = {}
    for path in incoming.rglob("*"):
        if path.suffix.lower() not in {".csv", ".txt"}:
            continue
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        delimiter = max((",", ";", "|"), key=text.splitlines()[0].count) if text else ","
        for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
            for column in PERSONAL_COLUMNS & set(row):
                if row[column]:
                    values.setdefault(column, set()).add(row[column].strip())
    return values


@pytest.fixture(scope="module")
def personal(baseline):
    values = _personal_values(baseline["sent"])
    assert values.get("NHS Number") and values.get("Surname"), (
        "the demo extracts should carry raw identifiers"
    )
    return values


@pytest.mark.parametrize("which", ["work", "published"])
def test_no_identifier_like_values_in_the_warehouse(baseline, personal, which):
    data = baseline["data"]
    con = duckdb.connect(str(data / which / "warehouse.duckdb"), read_only=True)
    # In the work file the `ref` schema and what dbt builds only from it hold DfE/MHCLG/OHID published
    # statistics (LAIT figures stored as text can look like 10-digit numbers), and the original file name stays
    # there by design: fhub.privacy.artefacts says exactly what is exempt and why.
    include = work_file_filter(data / "dbt-target" / "manifest.json") if which == "work" else None
    try:
        findings = scan_catalog(con, artefact=which, include=include)
        names = sorted({v for c in ("First Name", "Surname") for v in personal.get(c, ()) if len(v) >= 5})
        nhs = sorted(personal.get("NHS Number", ()))
        leaks = find_needles(con, names[:300] + nhs[:300], skip_schemas=("ref",))
    finally:
        con.close()
    assert [f.describe() for f in findings] == []
    assert leaks == []


def test_exports_and_receipts_hold_no_identifiers(baseline, personal):
    data = baseline["data"]
    files = list((data / "published" / "exports").rglob("*.csv")) + list((data / "receipts").rglob("*"))
    assert files
    needles = {v for c in ("NHS Number", "UPN", "Postcode") for v in personal.get(c, ())}
    needles |= {v for c in ("Surname",) for v in personal.get(c, ()) if len(v) >= 5}
    for path in files:
        if path.is_file():
            text = path.read_text(errors="replace")
            hits = [n for n in needles if n in text]
            assert hits == [], f"{path} contains raw identifiers, e.g. {hits[:3]}"


def test_published_small_numbers_are_suppressed(baseline):
    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        visible_small = con.execute(
            f"""select iv.metric_id, geography_code, period, breakdown_type, breakdown_value, numerator, denominator
                from indicator_values as iv
                join framework_metrics as m on m.metric_id = iv.metric_id
                where not (iv.{PUBLISHED_STATISTICS}) and iv.value is not null
                  and (m.unit = 'count' and numerator between 1 and 7
                       or m.unit = 'percent' and (numerator between 1 and 7 or denominator - numerator between 1 and 7))"""
        ).fetchall()
        suppressed = con.execute(
            "select count(*) from indicator_values where suppression_symbol = 'c' and value is not null"
        ).fetchone()[0]
    finally:
        con.close()
    assert suppressed == 0, "a suppressed cell still shows its value"
    assert visible_small == [], f"small counts published: {visible_small[:5]}"


def test_no_identifier_like_substring_in_the_work_file(baseline):
    """``fhub_identifier_kinds`` over every text column of the work file (raw, landing, staging, intermediate,
    marts, dq; the ref schema holds published statistics): nothing. The demo's typed contact details were there
    and were replaced by tags, in raw and in the mart."""
    data = baseline["data"]
    con = duckdb.connect(str(data / "work" / "warehouse.duckdb"), read_only=True)
    try:
        found = scan_catalog(con, artefact="work file", include=work_file_filter(data / "dbt-target" / "manifest.json"))
        assert [f.describe() for f in found] == []
        for relation in ("raw.hub_contacts", "marts.fct_hub_contacts"):
            tagged = con.execute(f"select count(*) from {relation} where partner_name like '%removed]%'").fetchone()
            assert tagged[0] > 0, f"{relation}: the demo's typed contact details should have been scrubbed"
    finally:
        con.close()


def test_file_names_are_not_published(baseline):
    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        columns = {r[0] for r in con.execute("describe deliveries").fetchall()}
        assert "source_file" not in columns and "delivery_label" in columns
        labels = con.execute("select count(*) from deliveries "
                             "where regexp_matches(delivery_label, ' \\(delivery [0-9a-f]{8}\\)$')").fetchone()[0]
        assert labels == con.execute("select count(*) from deliveries").fetchone()[0] > 0
        landing = con.execute("select target_relation, message from dq_check_results where source = 'landing'"
                              ).fetchall()
        assert landing and all("(delivery " in t and "(delivery " in m for t, m in landing)
    finally:
        con.close()
    work = duckdb.connect(str(baseline["data"] / "work" / "warehouse.duckdb"), read_only=True)
    try:
        delivered = [r[0] for r in work.execute("select distinct source_file from landing.deliveries").fetchall()]
    finally:
        work.close()
    published = [baseline["data"] / "published" / "exports" / "current", baseline["data"] / "reports"]
    texts = [p.read_text(errors="replace") for root in published for p in root.rglob("*")
             if p.is_file() and p.suffix in {".csv", ".md", ".html", ".json"}]
    texts += [p.read_text() for p in (baseline["data"] / "published" / "manifests").glob("*.json")]
    assert delivered and not [n for n in delivered for t in texts if n in t]
