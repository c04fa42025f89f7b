"""London page sections: the tile map of significance and the area comparison with 95% intervals.

One metric and one period for both (the GLD as DfE publishes it for all 33 boroughs, else the pipeline's
GLD): the latest period in which most boroughs have a significance comparison, so the colours mean
something; the period and the comparator are in every title.
"""

from __future__ import annotations

from pathlib import Path

from fhub.report.data import ENGLAND_CODE, LONDON_CODE, ReportData, period_key
from fhub.report.london import LONDON_TILES, SIGNIFICANCE, AreaValue, area_bars, tile_map
from fhub.report.section import Section
from fhub.report.tables import Table, cell, write_downloads

MAP_METRICS = ("gld_dfe_published",)
#: the map's comparator: every borough's figure against England's (the column of its significance verdict)
BENCH, COMPARATOR = "England", "compared_to_england"


def _choose(data: ReportData) -> tuple[str, str] | None:
    """(metric, period) for the map: most boroughs compared with England, latest period first."""
    candidates = [m for m in (*MAP_METRICS, data.gld_metric) if m]
    for mid in candidates:
        periods = sorted({p for (m, p) in data.values_by_metric_period if m == mid}, key=period_key, reverse=True)
        best = None
        for period in periods:
            rows = [v for v in data.values_by_metric_period[(mid, period)] if v.get("geography_level") == "borough"
                    and v["geography_code"] in LONDON_TILES]
            compared = sum(1 for v in rows if v.get(COMPARATOR))
            if rows and compared >= len(LONDON_TILES) / 2:
                return mid, period
            if rows and best is None:
                best = (mid, period)
        if best:
            return best
    return None


def _areas(data: ReportData, mid: str, period: str) -> list[AreaValue]:
    by_code = {v["geography_code"]: v for v in data.values_by_metric_period.get((mid, period), [])}
    out = []
    for code in LONDON_TILES:
        v = by_code.get(code, {})
        value = v.get("value")
        out.append(AreaValue(code, data.boroughs.get(code) or v.get("geography_name") or LONDON_TILES[code][0],
                             None if value is None else float(value),
                             None if v.get("lower_95") is None else float(v["lower_95"]),
                             None if v.get("upper_95") is None else float(v["upper_95"]),
                             v.get(COMPARATOR), v.get("suppression_symbol") or ("x" if value is None else None)))
    return out


def london_sections(data: ReportData, prefix: str, downloads: Path) -> list[Section]:
    chosen = _choose(data)
    if chosen is None:
        return [Section("map", "London map", intro="No borough values to map are in the published file yet.")]
    mid, period = chosen
    metric = data.metrics.get(mid, {}).get("metric_name") or mid
    areas = _areas(data, mid, period)
    symbol_of = {k: v[2] for k, v in SIGNIFICANCE.items()}
    rows = [[a.name, LONDON_TILES[a.code][0], cell(a.value, a.symbol), cell(a.lower, a.symbol),
             cell(a.upper, a.symbol), f"{symbol_of.get(a.verdict, '–')} {a.verdict or 'not compared'}"]
            for a in sorted(areas, key=lambda a: a.name)]
    table = Table(f"London map {metric} {period}", ["Borough", "Tile", "Value %", "Lower 95% CI", "Upper 95% CI",
                                                     f"Compared with {BENCH}"], rows, slug="map", numeric={2, 3, 4})
    write_downloads(table, downloads, prefix)
    title = f"{metric}, {period}: London boroughs compared with {BENCH}"
    svg = tile_map(f"{prefix}-map", title,
                   f"Tile map of the 33 London boroughs (one square each, roughly in their places) coloured by "
                   f"whether the borough's {metric} in {period} is significantly better, similar or worse than "
                   f"{BENCH} (95% confidence intervals); each tile prints its symbol and value.", areas, BENCH)
    comparators = []
    for code, label, dash in ((LONDON_CODE, "London", "6 3"), (ENGLAND_CODE, "England", "2 3")):
        v = next((x for x in data.values_by_metric_period.get((mid, period), []) if x["geography_code"] == code), None)
        if v is None:  # the borough rows carry their benchmarks
            col = "london_value" if code == LONDON_CODE else "england_value"
            found = next((x.get(col) for x in data.values_by_metric_period.get((mid, period), []) if x.get(col)), None)
            v = {"value": found} if found is not None else None
        if v and v.get("value") is not None:
            comparators.append((label, float(v["value"]), dash))
    bars = area_bars(f"{prefix}-areas", f"{metric}, {period}: boroughs with 95% confidence intervals",
                     f"Bar per London borough, sorted by value, with its 95% confidence interval and vertical "
                     f"lines at the London and England values; the symbol gives the comparison with {BENCH}.",
                     areas, comparators)
    key = ["▲", "●", "▼", "x"]
    return [
        Section("map", f"London map: {metric}, {period}", svg=svg, tables=[table], keys=key,
                intro=f"Each square is a borough, placed roughly where it is in London. Colour and symbol say "
                      f"whether the borough is significantly different from {BENCH} (95% confidence intervals).",
                figcaption=f"{title}. Source: {data.metrics.get(mid, {}).get('data_source') or 'not recorded'}"[:400]),
        Section("areas", f"Boroughs compared: {metric}, {period}", svg=bars, tables=[table], keys=key,
                intro="Bars sorted from highest to lowest; the black whisker is the 95% confidence interval, the "
                      "dashed lines London and the dotted line England.",
                figcaption="Area comparison with 95% confidence intervals; the same data as the map."),
    ]
