"""Publication dates and next updates of the published sources (issue 17): every figure source has its entry,
dates are real or a note says what is known, combined FSM-gap labels name both sources."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from fhub.reference.publications import load_publications, publications_for
from fhub.settings import PROJECT_DIR


def test_every_published_figure_source_has_its_release_facts():
    pubs = load_publications()
    seed = PROJECT_DIR / "seeds" / "reference" / "published_eyfsp_sources.csv"
    with seed.open(encoding="utf-8") as fh:
        labels = {r["source_label"] for r in csv.DictReader(fh)}
    assert labels == {p.label for p in pubs}
    lait = next(p for p in pubs if p.source == "lait")
    assert lait.published_on == dt.date(2026, 4, 8) and lait.published_text == "8 April 2026"
    assert lait.next_update is None and lait.next_update_text.startswith("not announced")
    # no guessed day: where the day is unknown the text says so
    ees = next(p for p in pubs if p.source == "ees_eyfsp_headline_2022_2025")
    assert ees.published_on is None and ees.published_text.startswith("not recorded")


def test_a_combined_label_names_both_sources_and_borough_records_none():
    pubs = load_publications()
    gap = (
        "DfE LAIT: Local Authority Interactive Tool (April 2026 data) (not eligible); OHID Fingertips 90632: "
        "school readiness of children with free school meal status (eligible)"
    )
    assert [p.source for p in publications_for(gap, pubs)] == ["lait", "fingertips_90632"]
    assert publications_for("Borough records", pubs) == [] and publications_for(None, pubs) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{source: s, label: l, tables: [no_such_table], published_on: null, published_note: n, next_update_note: n}",
            "not files of",
        ),
        (
            "{source: s, label: l, tables: [dfe_lait_bds_long], published_on: '2025-13-40', next_update_note: n}",
            "must be a date",
        ),
        (
            "{source: s, label: l, tables: [dfe_lait_bds_long], published_on: null, next_update_note: n}",
            "published_note must say",
        ),
    ],
)
def test_a_mistake_names_the_entry_and_the_key(tmp_path, entry, message):
    path = tmp_path / "publications.yml"
    path.write_text(f"publications:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_publications(path)
