"""Data availability: the heatmap of metrics available by domain and layer (or borough and domain)."""

from __future__ import annotations

from pathlib import Path

from fhub.report import charts
from fhub.report.data import ReportData
from fhub.report.section import Section
from fhub.report.tables import Table, write_downloads


# ------------------------------------------------------------------------------ availability
def _availability_status(row: dict) -> str:
    for key in ("availability", "status", "availability_status", "data_status"):
        if row.get(key):
            return str(row[key]).lower()
    return "missing"


def availability_section(
    data: ReportData, code: str | None, name: str, prefix: str, downloads: Path
) -> Section:
    rows = (
        data.availability if code is None else [r for r in data.availability if r.get("borough_code") == code]
    )
    if not rows:
        return Section(
            "availability",
            "Data availability",
            svg=charts.empty_chart(
                f"{prefix}-availability", "Data availability", "No availability information"
            ),
            intro="The availability map is not in the published file yet.",
        )

    def dom(r: dict) -> str:
        return data.domain(r.get("domain") or data.metrics.get(r.get("metric_id"), {}).get("domain"))

    def lay(r: dict) -> str:
        layer = (
            r.get("layer")
            if r.get("layer") is not None
            else data.metrics.get(r.get("metric_id"), {}).get("layer")
        )
        return data.layer(layer)

    if code is None:
        row_keys = sorted({data.boroughs.get(r.get("borough_code"), r.get("borough_code")) for r in rows})
        col_keys = sorted({dom(r) for r in rows})

        def keyf(r: dict) -> tuple[str, str]:
            return (data.boroughs.get(r.get("borough_code"), r.get("borough_code")), dom(r))
    else:
        row_keys = sorted({dom(r) for r in rows})
        col_keys = sorted({lay(r) for r in rows})

        def keyf(r: dict) -> tuple[str, str]:
            return (dom(r), lay(r))

    counts: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        c = counts.setdefault(keyf(r), [0, 0, 0, 0])
        status = _availability_status(r)
        c[0] += 1
        c[1] += status == "available"
        c[2] += status == "accessible"
        c[3] += status == "missing"
    cells = {k: 100 * v[1] / v[0] for k, v in counts.items()}
    svg = charts.heatmap(
        f"{prefix}-availability",
        f"{name}: share of metrics available",
        "Heatmap of the share of metrics whose data are available (landed and passed checks); "
        "the percentage is printed in each cell.",
        row_keys,
        col_keys,
        cells,
    )
    table_rows = [
        [k[0], k[1], v[0], v[1], v[2], v[3], round(100 * v[1] / v[0], 1)] for k, v in sorted(counts.items())
    ]
    heads = (["Borough", "Domain"] if code is None else ["Domain", "Layer"]) + [
        "Metrics",
        "Available",
        "Accessible",
        "Missing",
        "Coverage %",
    ]
    table = Table(f"Availability {name}", heads, table_rows, slug="availability", numeric={2, 3, 4, 5, 6})
    write_downloads(table, downloads, prefix)
    tables = [table]
    if code is not None:
        gaps = [
            [
                data.metrics.get(r.get("metric_id"), {}).get("metric_name") or r.get("metric_id"),
                dom(r),
                lay(r),
                _availability_status(r),
                r.get("reason") or "",
            ]
            for r in rows
            if _availability_status(r) != "available"
        ]
        if gaps:
            gap_table = Table(
                f"Metrics not available {name}",
                ["Metric", "Domain", "Layer", "Status", "Reason"],
                sorted(gaps, key=lambda g: (g[1], g[0])),
                slug="availability-gaps",
            )
            write_downloads(gap_table, downloads, prefix)
            tables.append(gap_table)
    keys = ["x"] if any(v is None for v in (cells.get((r, c)) for r in row_keys for c in col_keys)) else []
    return Section(
        "availability",
        "Data availability",
        svg=svg,
        tables=tables,
        keys=keys,
        figcaption="Available = landed and passed checks; accessible = the borough holds the data but "
        "does not send it yet; missing = not collected.",
    )
