"""The GLD headline (official and provisional, each with its source), the summary against the 75% target and
the GLD trend section."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fhub.report import charts
from fhub.report.charts.spine import DARK_PURPLE
from fhub.report.data import ENGLAND_CODE, LONDON_CODE, ReportData
from fhub.report.labels import REFORM_YEAR, TARGET_DEFAULT, TARGET_YEAR, _fmt, _label, _year
from fhub.report.section import Section
from fhub.report.stats import linear_projection
from fhub.report.tables import Table, cell, write_downloads


# ----------------------------------------------------------------------------------------- GLD
@dataclass
class GldSummary:
    latest_year: str | None
    latest_value: float | None
    target: float
    gap: float | None
    projection: tuple[float, float, float] | None
    verdict: str
    symbol: str | None = None
    provisional: bool = False  # the latest value is the borough's own provisional record (p)
    source: str = ""


#: The GLD series a page draws and tabulates for one geography, never spliced into one line (issue 16): DfE's
#: published figures and the borough's own records (provisional where DfE has not published the year).
PUBLISHED, RECORDS = "published", "borough_records"
DFE_GLD_METRIC = "gld_dfe_published"


def _is_published_source(source: object) -> bool:
    """Whether a source text names DfE's published statistics (``published: …``, DfE, LAIT or EES)."""
    low = str(source or "").lower()
    return low.startswith("published") or re.search(r"\b(dfe|lait|ees)\b", low) is not None


def _tracker_series(row: dict) -> str:
    """Which series a tracker row belongs to: its ``series`` column (issue 16), else read from its source."""
    if row.get("series") in (PUBLISHED, RECORDS):
        return str(row["series"])
    return PUBLISHED if _is_published_source(row.get("source") or row.get("gld_source")) else RECORDS


def _gld_series(data: ReportData, code: str, series: str = PUBLISHED) -> dict[int, dict]:
    """One GLD series by academic year: ``published`` = DfE's figures (indicator_values' gld_dfe_published,
    else the tracker's published rows); ``borough_records`` = the GLD computed from the boroughs' returns
    (indicator_values' GLD metric, else the tracker's records rows). Each value keeps its own source."""
    records_metric = data.gld_metric if data.gld_metric != DFE_GLD_METRIC else None
    values = [(y, v) for v in data.values_by_code.get(code, []) if (y := _year(v["period"])) is not None]
    if series == PUBLISHED:
        out = {y: v for y, v in values if v["metric_id"] == DFE_GLD_METRIC}
        for y, v in values:  # older files: DfE's figures under the one GLD metric, for years the above lacks
            if records_metric and v["metric_id"] == records_metric and _is_published_source(v.get("source")):
                out.setdefault(y, v)
    else:  # the records' GLD metric, less the DfE figures an older file kept under it (drawn as published)
        out = {y: v for y, v in values if data.gld_metric != DFE_GLD_METRIC and v["metric_id"] == data.gld_metric
               and not _is_published_source(v.get("source"))}
    for t in data.tracker:
        year = _year(t.get("academic_year") or "")
        if t.get("geography_code") == code and year is not None and year not in out and _tracker_series(t) == series:
            out[year] = {
                "value": t.get("gld_value"),
                "suppression_symbol": t.get("suppression_symbol")
                or (None if t.get("gld_value") is not None else "x"),
                "target_value": t.get("target_value"),
                "is_provisional": t.get("is_provisional"),
                "source": t.get("source") or t.get("gld_source"),
            }
    return out


def _latest(series: dict[int, dict]) -> tuple[int, dict] | None:
    years = [y for y, v in series.items() if v.get("value") is not None]
    return (max(years), series[max(years)]) if years else None


def gld_summary(data: ReportData, code: str) -> GldSummary:
    """The figure the target is judged on: the tracker's latest row (it names its series and whether it is
    provisional), else the latest DfE figure, else the latest of the borough's own records."""
    return _summary(data, code, _gld_series(data, code, PUBLISHED), _gld_series(data, code, RECORDS))


def _summary(data: ReportData, code: str, published: dict[int, dict], records: dict[int, dict]) -> GldSummary:
    """:func:`gld_summary` from the geography's two GLD series (the trend section has them already)."""
    mine = sorted(
        (t for t in data.tracker if t.get("geography_code") == code),
        key=lambda t: (bool(t.get("is_latest")), str(t.get("academic_year") or "")),
    )
    tracker = mine[-1] if mine else None
    target = TARGET_DEFAULT
    for v in (*published.values(), *records.values()):
        if v.get("target_value") is not None:
            target = float(v["target_value"])
    if tracker and tracker.get("target_value") is not None:
        target = float(tracker["target_value"])
    latest_year, latest, provisional, source = None, None, False, ""
    if tracker and tracker.get("is_latest") and tracker.get("gld_value") is not None:
        latest_year, latest = _year(str(tracker.get("academic_year"))), {"value": tracker["gld_value"]}
        provisional = bool(tracker.get("is_provisional"))
        source = str(tracker.get("source") or tracker.get("gld_source") or "")
    elif found := _latest(published) or _latest(records):
        latest_year, latest = found
        provisional = bool(latest.get("is_provisional"))
        source = str(latest.get("source") or "")
    value = float(latest["value"]) if latest else None
    projection = None
    if tracker and tracker.get("projected_value") is not None:
        pv = float(tracker["projected_value"])
        low = tracker.get("projection_lower_95", tracker.get("projected_lower"))
        up = tracker.get("projection_upper_95", tracker.get("projected_upper"))
        projection = (pv, float(low) if low is not None else pv, float(up) if up is not None else pv)
    else:
        post = sorted((y, float(v["value"])) for y, v in published.items()
                      if y >= REFORM_YEAR and v.get("value") is not None)
        if len(post) >= 3:
            projection = linear_projection([p[0] for p in post], [p[1] for p in post], TARGET_YEAR)
    if tracker and tracker.get("verdict"):
        verdict = str(tracker["verdict"]).replace("-", " ")
        if tracker.get("verdict_reason"):
            verdict += f" — {tracker['verdict_reason']}"
    elif projection is None:
        verdict = "uncertain (too few years since the 2021/22 reform to project)"
    elif projection[1] >= target:
        verdict = "on track"
    elif projection[2] < target:
        verdict = "off track"
    else:
        verdict = "uncertain"
    symbol = None
    if latest is None:
        every = {**records, **published}
        if every:
            symbol = every[max(every)].get("suppression_symbol") or "x"
            latest_year = max(every)
    return GldSummary(
        latest_year=_label(latest_year) if latest_year is not None else None,
        latest_value=value,
        target=target,
        gap=None if value is None else round(target - value, 1),
        projection=projection,
        verdict=verdict,
        symbol=symbol,
        provisional=provisional,
        source=source,
    )


@dataclass
class GldFigure:
    year: str
    value: float | None
    symbol: str | None
    source: str
    provisional: bool


def _source_label(raw: object, provisional: bool, participating: bool = False) -> str:
    """The source of a GLD figure in words; ``participating``: London's records are an aggregate of the
    participating boroughs' returns, not DfE's London."""
    text = str(raw or "").strip()
    low = text.lower()
    if "pupil" in low or low.startswith("borough records"):
        whose = ("the participating boroughs' EYFSP returns (not all 33 London boroughs)" if participating
                 else "borough EYFSP returns")
        label = f"{whose} (pupil level), computed by the pipeline"
    elif _is_published_source(text):
        detail = text.split(":", 1)[1].strip() if ":" in text else text
        label = f"DfE published statistics ({detail})" if detail else "DfE published statistics"
    else:
        label = text or "source not recorded"
    return label + (" — provisional" if provisional else "")


def gld_headline(data: ReportData, code: str) -> tuple[GldFigure | None, GldFigure | None]:
    """(official, provisional) GLD for the geography from the tracker: official = the latest figure DfE has
    published (the tracker's ``published`` series); provisional = a later year from the boroughs' own records
    (the ``borough_records`` series, marked ``is_provisional``). A borough-records figure for a year DfE has
    published is neither: DfE's figure is the official one. Each carries its source: never mixed unlabelled."""
    rows = [
        t for t in data.tracker if t.get("geography_code") == code and _year(t.get("academic_year") or "")
    ]
    official = provisional = None
    for t in sorted(rows, key=lambda t: str(t.get("academic_year"))):
        source = t.get("source") or t.get("gld_source")
        published = _tracker_series(t) == PUBLISHED
        is_prov = t.get("is_provisional")
        if is_prov is None:
            is_prov = not published
        value = t.get("gld_value")
        label = _source_label(source, bool(is_prov) and not published, code == LONDON_CODE and not published)
        fig = GldFigure(
            str(t.get("academic_year")),
            None if value is None else float(value),
            None if value is not None else (t.get("suppression_symbol") or "x"),
            label,
            not published,
        )
        if published and value is not None:
            official = fig
        elif not published and is_prov:
            provisional = fig
    if provisional and official and provisional.year <= official.year:
        provisional = None  # DfE has published that year: the official figure supersedes it
    return official, provisional


_NEIGHBOURS_NAME = "Statistical neighbours"


def _neighbours_series(data: ReportData, code: str, years: set[int]) -> dict[int, dict]:
    """The statistical neighbours' GLD by year (DfE's published figures for them, ``peer_comparisons``): under
    the records metric where the borough has records for the year, else under DfE's published GLD metric."""
    out = {}
    for y in sorted(years):
        for mid in (data.gld_metric, DFE_GLD_METRIC):
            row = data.neighbours.get((code, mid, _label(y)))
            if row is not None and row.get("benchmark_value") is not None:
                out[y] = {"value": float(row["benchmark_value"]), "source": row.get("benchmark_source")}
                break
    return out


def gld_section(data: ReportData, code: str, name: str, prefix: str, downloads: Path) -> Section:
    own = _gld_series(data, code, PUBLISHED)
    records = _gld_series(data, code, RECORDS)
    london = _gld_series(data, LONDON_CODE) if code != LONDON_CODE else {}
    england = _gld_series(data, ENGLAND_CODE)
    summary = _summary(data, code, own, records)
    neighbours = (
        _neighbours_series(data, code, set(own) | set(records) | set(london) | set(england))
        if code != LONDON_CODE else {}
    )
    years = sorted(set(own) | set(records) | set(london) | set(england))
    # legend labels fit the legend (about 20 characters); the chart's title and description name the geography
    own_name, records_name = (("London (DfE)", "Boroughs' records") if code == LONDON_CODE
                              else ("Borough (DfE)", "Borough (records)"))
    if not years:
        return Section(
            "gld",
            "Good level of development against the 75% ambition",
            svg=charts.empty_chart(f"{prefix}-gld", "GLD trend", "No GLD values published yet"),
            intro="No Good Level of Development values are in the published file yet.",
        )
    x_labels = {float(y): _label(y) for y in years}
    x_labels[float(TARGET_YEAR)] = _label(TARGET_YEAR)

    def pts(series: dict[int, dict]) -> list[tuple[float, float | None]]:
        return [
            (float(y), None if v.get("value") is None else float(v["value"]))
            for y, v in sorted(series.items())
        ]

    lines = []
    if own:
        lines.append(charts.Series(own_name, pts(own), charts.BLUE, "", "circle", 3))
    if records:
        lines.append(charts.Series(records_name, pts(records), charts.VERMILLION, "", "diamond", 3))
    if london:
        lines.append(charts.Series("London", pts(london), charts.ORANGE, "6 3", "square"))
    if england:
        lines.append(charts.Series("England", pts(england), charts.BLACK, "2 3", "triangle", 2))
    if neighbours:
        lines.append(charts.Series(_NEIGHBOURS_NAME, pts(neighbours), DARK_PURPLE, "1 3", "cross", 2))
    band = None
    latest_year = _year(summary.latest_year or "") if summary.latest_value is not None else None
    if summary.projection and latest_year is not None:  # from the figure the target is judged on
        last = latest_year
        pred, lo, hi = summary.projection
        start = float(summary.latest_value)
        lines.append(
            charts.Series(
                f"Projection to {_label(TARGET_YEAR)}",
                [(float(last), start), (float(TARGET_YEAR), pred)],
                charts.SKY,
                "4 4",
                "diamond",
                2,
            )
        )
        band = (
            [(float(last), start, start), (float(TARGET_YEAR), lo, hi)],
            charts.SKY,
            "95% projection interval",
        )
    vlines = (
        [(REFORM_YEAR - 0.5, "EYFS reform: break in series (b)")]
        if min(years) < REFORM_YEAR <= max(years)
        else []
    )
    svg = charts.line_chart(
        f"{prefix}-gld",
        f"{name}: % of children at a good level of development",
        f"GLD by academic year for {name} (DfE's published figures{' and its own records' if records else ''}, "
        f"drawn as separate lines), London, England"
        f"{' and its DfE statistical neighbours' if neighbours else ''}, with the {summary.target:g}% target for "
        f"{_label(TARGET_YEAR)} and a projection from {name}'s own trend since the 2021/22 reform.",
        lines,
        x_labels=x_labels,
        hlines=[(summary.target, f"{summary.target:g}% target", charts.GREEN)],
        vlines=vlines,
        band=band,
    )
    rows = []
    for y in years:
        note = "b" if y == REFORM_YEAR and min(years) < REFORM_YEAR else ""
        o, r, ln, en = own.get(y, {}), records.get(y, {}), london.get(y, {}), england.get(y, {})
        sn = neighbours.get(y, {"value": None, "suppression_symbol": "x"})
        if r.get("is_provisional") and "p" not in note:
            note = (note + " p").strip()
        rows.append(
            [
                _label(y),
                cell(o.get("value"), o.get("suppression_symbol") or "x"),
                cell(r.get("value"), r.get("suppression_symbol") or "x"),
                cell(r.get("lower_95"), r.get("suppression_symbol") or "x"),
                cell(r.get("upper_95"), r.get("suppression_symbol") or "x"),
                cell(ln.get("value"), ln.get("suppression_symbol")) if london else "z",
                cell(en.get("value"), en.get("suppression_symbol")),
                cell(sn.get("value"), sn.get("suppression_symbol")),
                note,
            ]
        )
    if summary.projection:
        rows.append(
            [
                f"{_label(TARGET_YEAR)} (projection)",
                "x",
                round(summary.projection[0], 1),
                round(summary.projection[1], 1),
                round(summary.projection[2], 1),
                "x",
                "x",
                "x",
                "p",
            ]
        )
    heads = [
        "Academic year",
        f"{name} DfE published %",
        f"{name} own records %" if code != LONDON_CODE else "Participating boroughs' records %",
        "Records lower 95% CI",
        "Records upper 95% CI",
        "London %",
        "England %",
        f"{_NEIGHBOURS_NAME} %",
        "Note",
    ]
    if code == LONDON_CODE:  # London has no statistical neighbours, and is itself the London column
        heads = heads[:5] + heads[6:7] + heads[8:]
        rows = [r[:5] + r[6:7] + r[8:] for r in rows]
    model = next(
        (
            str(r.get("peer_group_name"))
            for (b, _, _), r in data.neighbours.items()
            if b == code and r.get("peer_group_name")
        ),
        "statistical neighbours",
    )
    table = Table(
        f"GLD by year {name}",
        heads,
        rows,
        slug="gld-trend",
        numeric=set(range(1, len(heads) - 1)),
        caption=(
            f"{_NEIGHBOURS_NAME}: DfE's published GLD for {name}'s {model} (pooled from their counts, "
            "or the mean of their percentages where DfE published no counts); x where there is none."
            if code != LONDON_CODE
            else ""
        ),
    )
    write_downloads(table, downloads, prefix)
    gap = (
        ""
        if summary.gap is None
        else (f"{abs(summary.gap):.1f} points {'below' if summary.gap > 0 else 'above'} the target")
    )
    intro = (
        f"Latest ({summary.latest_year or 'none'}): {_fmt(summary.latest_value) if summary.latest_value is not None else (summary.symbol or 'x')}% "
        f"against a target of {summary.target:g}% by {_label(TARGET_YEAR)}{' — ' + gap if gap else ''}. Verdict: {summary.verdict}."
    )
    keys = (["b"] if vlines else []) + (["p"] if summary.projection else [])
    return Section(
        "gld",
        "Good level of development against the 75% ambition",
        intro=intro,
        svg=svg,
        keys=keys,
        figcaption="GLD trend with the target and the projection (shaded: 95% interval). Values before "
        "2021/22 are not comparable (EYFS reform).",
        tables=[table],
    )
