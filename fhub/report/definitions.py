"""Definitions, units and sources of every metric on a borough page, with the publication date and next update
of the published sources behind them (``config/reference/publications.yml``)."""

from __future__ import annotations

from pathlib import Path

from fhub.reference.publications import Publication, publications_for
from fhub.report.data import ReportData
from fhub.report.labels import definition_of
from fhub.report.scorecard import UNIT_LABELS, latest_values
from fhub.report.section import Section
from fhub.report.tables import Table, write_downloads

DEFINITION_COLUMNS = ["Metric", "Definition", "Unit", "Source", "Published on", "Next update"]


def release_cells(source: object, publications: tuple[Publication, ...]) -> tuple[str, str]:
    """("Published on", "Next update") for a figure's source label: the publisher's dates where recorded, what is
    known where not ("not recorded ..."); ``z`` for the borough's own records (computed each night, not a
    publication)."""
    pubs = publications_for(source, publications)
    if not pubs:
        text = str(source or "").lower()
        return ("z", "z") if not text or text.startswith("borough") else ("not recorded", "not recorded")
    if len(pubs) == 1:
        return pubs[0].published_text, pubs[0].next_update_text

    def named(p: Publication, text: str) -> str:
        return f"{p.label.split(':', 1)[0]}: {text}"

    return (
        "; ".join(named(p, p.published_text) for p in pubs),
        "; ".join(named(p, p.next_update_text) for p in pubs),
    )


def definitions_section(
    data: ReportData,
    code: str,
    name: str,
    prefix: str,
    downloads: Path,
    publications: tuple[Publication, ...],
) -> Section:
    rows = []
    for mid, v in latest_values(data, code):
        info = data.metrics.get(mid, {})
        source = v.get("source") or info.get("data_source") or ""
        published, next_update = release_cells(v.get("source"), publications)
        rows.append(
            [
                info.get("metric_name") or mid,
                definition_of(info),
                UNIT_LABELS.get(str(info.get("unit")), info.get("unit") or "not recorded"),
                source + (" — provisional p" if v.get("is_provisional") else ""),
                published,
                next_update,
            ]
        )
    table = Table(
        f"Definitions and sources {name}",
        DEFINITION_COLUMNS,
        rows,
        slug="definitions",
        caption="Published on / next update: the publisher's release dates for published statistics where "
        "recorded (config/reference/publications.yml; 'not recorded' where we hold no date); z for "
        "the borough's own records, computed each night from its deliveries.",
    )
    write_downloads(table, downloads, prefix)
    return Section(
        "definitions",
        "Definitions, units and sources",
        tables=[table],
        intro="What each metric on this page counts, in what unit, from which source - and, for published "
        "statistics, when they were published and when they are next updated.",
        collapsed=f"Definition, unit, source and release dates of each of the {len(rows)} metrics",
        print_open=False,
    )  # long: the printed pack points to the page and the download
