"""Build the static performance-cycle report from the PUBLISHED file only (opened read-only).

``build_report(published_db, out_dir, run_summary=None) -> list[Path]`` writes ``index.html`` (London
overview), ``borough-<code>.html`` per borough, and ``data/*.csv|xlsx`` (one pair per table). Pages embed
everything (inline CSS and SVG); nothing is fetched from the network.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from fhub.report import charts
from fhub.report.changes import changes_section
from fhub.report.data import ENGLAND_CODE, LONDON_CODE, ReportData, load, period_key
from fhub.report.london_page import london_sections
from fhub.report.pdf import pdf_name
from fhub.report.problems import IMPACT, Problem, borough_problems
from fhub.report.section import Section
from fhub.report.stats import Z95, Z998, funnel_limits, linear_projection
from fhub.report.tables import Table, cell, write_downloads

TARGET_DEFAULT = 75.0
TARGET_YEAR = 2027  # the 2027/28 results
REFORM_YEAR = 2021  # EYFS reform 2021/22: break in series


def _year(period: str) -> int | None:
    try:
        return int(str(period)[:4]) if "/" in str(period) and "Q" not in str(period) else None
    except ValueError:
        return None


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _fmt(v: float | None, digits: int = 1) -> str:
    return "x" if v is None else f"{v:.{digits}f}"


def _high_is_good(info: dict) -> bool | None:
    pol = str(info.get("polarity") or "high").lower()
    if pol.startswith("low"):
        return False
    if pol.startswith("high"):
        return True
    return None


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


def _gld_series(data: ReportData, code: str) -> dict[int, dict]:
    """GLD by academic year from indicator_values; years only in the tracker (e.g. real DfE figures) added."""
    mid = data.gld_metric
    out = {}
    for v in data.values_by_code.get(code, []):
        if v["metric_id"] == mid and _year(v["period"]) is not None:
            out[_year(v["period"])] = v
    for t in data.tracker:
        year = _year(t.get("academic_year") or "")
        if t.get("geography_code") == code and year is not None and year not in out:
            out[year] = {"value": t.get("gld_value"), "suppression_symbol": t.get("suppression_symbol")
                         or (None if t.get("gld_value") is not None else "x"), "target_value": t.get("target_value")}
    return out


def gld_summary(data: ReportData, code: str) -> GldSummary:
    series = _gld_series(data, code)
    mine = sorted((t for t in data.tracker if t.get("geography_code") == code),
                  key=lambda t: (bool(t.get("is_latest")), str(t.get("academic_year") or "")))
    tracker = mine[-1] if mine else None
    target = TARGET_DEFAULT
    for v in series.values():
        if v.get("target_value") is not None:
            target = float(v["target_value"])
    if tracker and tracker.get("target_value") is not None:
        target = float(tracker["target_value"])
    published = {y: v for y, v in series.items() if v.get("value") is not None}
    latest_year = max(published) if published else (max(series) if series else None)
    latest = published.get(latest_year) if latest_year is not None else None
    value = float(latest["value"]) if latest else None
    projection = None
    if tracker and tracker.get("projected_value") is not None:
        pv = float(tracker["projected_value"])
        low = tracker.get("projection_lower_95", tracker.get("projected_lower"))
        up = tracker.get("projection_upper_95", tracker.get("projected_upper"))
        projection = (pv, float(low) if low is not None else pv, float(up) if up is not None else pv)
    else:
        post = sorted((y, float(v["value"])) for y, v in published.items() if y >= REFORM_YEAR)
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
    if latest_year is not None and latest is None:
        symbol = series[latest_year].get("suppression_symbol") or "x"
    return GldSummary(
        latest_year=_label(latest_year) if latest_year is not None else None,
        latest_value=value,
        target=target,
        gap=None if value is None else round(target - value, 1),
        projection=projection,
        verdict=verdict,
        symbol=symbol,
    )


@dataclass
class GldFigure:
    year: str
    value: float | None
    symbol: str | None
    source: str
    provisional: bool


def _source_label(raw: object, provisional: bool) -> str:
    text = str(raw or "").strip()
    low = text.lower()
    if "pupil" in low:
        label = "borough EYFSP returns (pupil level), computed by the pipeline"
    elif low.startswith("published") or "dfe" in low or "lait" in low or "ees" in low:
        detail = text.split(":", 1)[1].strip() if ":" in text else text
        label = f"DfE published statistics ({detail})" if detail else "DfE published statistics"
    else:
        label = text or "source not recorded"
    return label + (" — provisional" if provisional else "")


def gld_headline(data: ReportData, code: str) -> tuple[GldFigure | None, GldFigure | None]:
    """(official, provisional) GLD for the geography from the tracker: official = the latest figure DfE has
    published; provisional = a later year computed from the boroughs' pupil-level returns (or a tracker row
    marked ``is_provisional``). Each carries its source, so the two are never mixed without a label."""
    rows = [t for t in data.tracker if t.get("geography_code") == code and _year(t.get("academic_year") or "")]
    official = provisional = None
    for t in sorted(rows, key=lambda t: str(t.get("academic_year"))):
        source = t.get("source") or t.get("gld_source")
        is_prov = t.get("is_provisional")
        if is_prov is None:
            is_prov = "pupil" in str(source or "").lower()
        value = t.get("gld_value")
        label = _source_label(source, bool(is_prov))
        if code == LONDON_CODE and "pupil" in str(source or "").lower():  # an aggregate, not DfE's London
            label = label.replace("borough EYFSP returns", "the participating boroughs' EYFSP returns (not all "
                                  "33 London boroughs)")
        fig = GldFigure(str(t.get("academic_year")), None if value is None else float(value),
                        None if value is not None else (t.get("suppression_symbol") or "x"), label, bool(is_prov))
        if is_prov:
            provisional = fig
        elif value is not None:
            official = fig
    if provisional and official and provisional.year <= official.year:
        provisional = None  # DfE has published that year: the official figure supersedes it
    return official, provisional


def gld_section(data: ReportData, code: str, name: str, prefix: str, downloads: Path) -> Section:
    own = _gld_series(data, code)
    london = _gld_series(data, LONDON_CODE) if code != LONDON_CODE else {}
    england = _gld_series(data, ENGLAND_CODE)
    summary = gld_summary(data, code)
    years = sorted(set(own) | set(london) | set(england))
    if not years:
        return Section("gld", "Good level of development against the 75% ambition",
                       svg=charts.empty_chart(f"{prefix}-gld", "GLD trend", "No GLD values published yet"),
                       intro="No Good Level of Development values are in the published file yet.")
    x_labels = {float(y): _label(y) for y in years}
    x_labels[float(TARGET_YEAR)] = _label(TARGET_YEAR)

    def pts(series: dict[int, dict]) -> list[tuple[float, float | None]]:
        return [(float(y), None if v.get("value") is None else float(v["value"])) for y, v in sorted(series.items())]

    lines = [charts.Series(name, pts(own), charts.BLUE, "", "circle", 3)]
    if london:
        lines.append(charts.Series("London", pts(london), charts.ORANGE, "6 3", "square"))
    if england:
        lines.append(charts.Series("England", pts(england), charts.BLACK, "2 3", "triangle", 2))
    band = None
    last = max((y for y, v in own.items() if v.get("value") is not None), default=None)
    if summary.projection and last is not None:
        pred, lo, hi = summary.projection
        start = float(own[last]["value"])
        lines.append(charts.Series(f"Projection to {_label(TARGET_YEAR)}", [(float(last), start), (float(TARGET_YEAR), pred)],
                                   charts.SKY, "4 4", "diamond", 2))
        band = ([(float(last), start, start), (float(TARGET_YEAR), lo, hi)], charts.SKY, "95% projection interval")
    vlines = [(REFORM_YEAR - 0.5, "EYFS reform: break in series (b)")] if min(years) < REFORM_YEAR <= max(years) else []
    svg = charts.line_chart(
        f"{prefix}-gld", f"{name}: % of children at a good level of development",
        f"GLD by academic year for {name}, London and England, with the {summary.target:g}% target for "
        f"{_label(TARGET_YEAR)} and a projection from {name}'s own trend since the 2021/22 reform.",
        lines, x_labels=x_labels, hlines=[(summary.target, f"{summary.target:g}% target", charts.GREEN)],
        vlines=vlines, band=band, break_gap=1.0 if min(years) >= REFORM_YEAR else 1.0,
    )
    rows = []
    for y in years:
        note = "b" if y == REFORM_YEAR and min(years) < REFORM_YEAR else ""
        o, ln, en = own.get(y, {}), london.get(y, {}), england.get(y, {})
        rows.append([_label(y), cell(o.get("value"), o.get("suppression_symbol")),
                     cell(o.get("lower_95"), o.get("suppression_symbol")), cell(o.get("upper_95"), o.get("suppression_symbol")),
                     cell(ln.get("value"), ln.get("suppression_symbol")) if london else "z",
                     cell(en.get("value"), en.get("suppression_symbol")), note])
    if summary.projection:
        rows.append([f"{_label(TARGET_YEAR)} (projection)", round(summary.projection[0], 1), round(summary.projection[1], 1),
                     round(summary.projection[2], 1), "x", "x", "p"])
    heads = ["Academic year", f"{name} %", "Lower 95% CI", "Upper 95% CI", "London %", "England %", "Note"]
    if code == LONDON_CODE:
        heads.pop(4)
        rows = [r[:4] + r[5:] for r in rows]
    table = Table(f"GLD by year {name}", heads, rows, slug="gld-trend", numeric=set(range(1, len(heads) - 1)))
    write_downloads(table, downloads, prefix)
    gap = "" if summary.gap is None else (f"{abs(summary.gap):.1f} points {'below' if summary.gap > 0 else 'above'} the target")
    intro = (f"Latest ({summary.latest_year or 'none'}): {_fmt(summary.latest_value) if summary.latest_value is not None else (summary.symbol or 'x')}% "
             f"against a target of {summary.target:g}% by {_label(TARGET_YEAR)}{' — ' + gap if gap else ''}. Verdict: {summary.verdict}.")
    keys = (["b"] if vlines else []) + (["p"] if summary.projection else [])
    return Section("gld", "Good level of development against the 75% ambition", intro=intro, svg=svg, keys=keys,
                   figcaption="GLD trend with the target and the projection (shaded: 95% interval). Values before "
                              "2021/22 are not comparable (EYFS reform).", tables=[table])


# ------------------------------------------------------------------------------ scorecard/spine
def _latest_by_metric(data: ReportData, code: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for v in data.values_by_code.get(code, []):
        cur = out.get(v["metric_id"])
        if cur is None or period_key(v["period"]) > period_key(cur["period"]):
            out[v["metric_id"]] = v
    return out


def domain_verdicts(data: ReportData, code: str) -> tuple[list[charts.SpineRow], dict[str, list[str]], list[list]]:
    latest = _latest_by_metric(data, code)
    rows, verdicts, table_rows = [], {}, []
    for mid, v in sorted(latest.items(), key=lambda kv: (str(data.metrics.get(kv[0], {}).get("domain")),
                                                         str(data.metrics.get(kv[0], {}).get("layer")), kv[0])):
        info = data.metrics.get(mid, {})
        domain = data.domain(info.get("domain") or v.get("domain"))
        layer = data.layer(info.get("layer") if info.get("layer") is not None else v.get("layer"))
        same = data.values_by_metric_period.get((mid, v["period"]), [])
        peers = [float(p["value"]) for p in same if p.get("geography_level") == "borough" and p.get("value") is not None
                 and p["geography_code"] not in data.non_london]
        london = next((p for p in same if p["geography_code"] == LONDON_CODE), None)
        bench = v.get("london_value")
        if bench is None and london is not None:
            bench = london.get("value")
        verdict = v.get("compared_to_london")
        q = statistics.quantiles(peers, n=4, method="inclusive") if len(peers) >= 2 else [None, None, None]
        rows.append(charts.SpineRow(
            group=f"{domain} · {layer}", label=str(info.get("metric_name") or mid),
            value=None if v.get("value") is None else float(v["value"]),
            benchmark=None if bench is None else float(bench),
            minimum=min(peers) if peers else None, q1=q[0], q3=q[2], maximum=max(peers) if peers else None,
            verdict=verdict, high_is_good=_high_is_good(info),
            symbol=None if v.get("value") is not None else (v.get("suppression_symbol") or "x")))
        verdicts.setdefault(str(domain), []).append(verdict or "not compared")
        symbol = charts.VERDICT_STYLE.get(verdict, charts.VERDICT_STYLE[None])[2]
        sym = v.get("suppression_symbol")
        dp = int(v["source_precision_dp"]) if v.get("source_precision_dp") is not None else 1  # issue 16
        table_rows.append([info.get("metric_name") or mid, UNIT_LABELS.get(str(info.get("unit")), info.get("unit") or ""),
                           domain, layer, v["period"], cell(v.get("value"), sym, dp), cell(v.get("lower_95"), sym, dp),
                           cell(v.get("upper_95"), sym, dp), cell(bench, None, dp), cell(v.get("england_value"), None, dp),
                           f"{symbol} {verdict}" if verdict else "z", v.get("trend") or "z",
                           (v.get("source") or info.get("data_source") or "")
                           + (" — provisional p" if v.get("is_provisional") else ""), v.get("dq_status") or ""])
    return rows, verdicts, table_rows


UNIT_LABELS = {"percent": "%", "percentage": "%", "rate_per_1000": "per 1,000", "rate_per_10000": "per 10,000",
               "percentage_points": "percentage points", "points": "points", "count": "count", "days": "days",
               "mean": "mean"}
SCORECARD_COLUMNS = ["Metric", "Unit", "Domain", "Layer", "Period", "Value", "Lower 95% CI", "Upper 95% CI",
                     "London", "England", "Compared with London", "Trend", "Source", "DQ status"]


def weakest_domain(verdicts: dict[str, list[str]]) -> tuple[str, str] | None:
    """Lowest (better − worse) / compared; ties → more 'worse'. Returns (domain, explanation)."""
    scored = []
    for domain, vs in verdicts.items():
        compared = [v for v in vs if v in {"better", "similar", "worse"}]
        if not compared:
            continue
        worse, better = compared.count("worse"), compared.count("better")
        scored.append(((better - worse) / len(compared), -worse, domain, worse, len(compared)))
    if not scored:
        return None
    _, _, domain, worse, n = min(scored)
    better = verdicts[domain].count("better")
    if worse == 0:
        return domain, (f"no domain is significantly worse than London; this one has the fewest better results "
                        f"({better} better, {n - better} similar of {n} compared)")
    return domain, f"{worse} of {n} compared metrics significantly worse than London"


def scorecard_section(data: ReportData, code: str, name: str, prefix: str,
                      downloads: Path) -> tuple[Section, tuple[str, str] | None, Table]:
    rows, verdicts, table_rows = domain_verdicts(data, code)
    svg = charts.spine_chart(
        f"{prefix}-spine", f"{name}: domain × layer scorecard against London",
        f"Each metric's latest value for {name} against the spread of London boroughs; marker shape gives the "
        "verdict by confidence interval: triangle up better, circle similar, triangle down worse.", rows)
    table = Table(f"Scorecard {name}", SCORECARD_COLUMNS, table_rows, slug="scorecard", numeric={5, 6, 7, 8, 9})
    write_downloads(table, downloads, prefix)
    domains = sorted({r[2] for r in table_rows} | set(data.domain_names.values()))
    layers = sorted({r[3] for r in table_rows} | set(data.layer_names.values()))
    grid = []
    for d in domains:
        line: list[object] = [str(d)]
        for layer in layers:
            vs = [r[10] for r in table_rows if r[2] == d and r[3] == layer]
            if not vs:
                line.append("z")
                continue
            line.append(" ".join(f"{s}{sum(1 for v in vs if v.endswith(w))}" for s, w in
                                 (("▲", "better"), ("●", "similar"), ("▼", "worse")) ) + f" of {len(vs)}")
        grid.append(line)
    grid_table = Table(f"Domain by layer {name}", ["Domain", *layers], grid, slug="domain-layer",
                       caption="▲ better, ● similar, ▼ worse than London (95% CI); z: no metric in this cell.")
    write_downloads(grid_table, downloads, prefix)
    weakest = weakest_domain(verdicts)
    intro = (f"Weakest domain: {weakest[0]} ({weakest[1]})." if weakest else
             "No metric could be compared with London yet.")
    return Section("scorecard", "Every metric against London (spine chart)", intro=intro, svg=svg,
                   figcaption="Spine chart: grey bars show the range of London boroughs (dark: middle half); the "
                              "vertical line is London; 'better' is always to the right.",
                   tables=[table], keys=["▲", "●", "▼", "c", "x"]), weakest, grid_table


# ------------------------------------------------------------------------------------ funnel
FUNNEL_MIN_HUBS = 3
FUNNEL_MIN_DENOMINATOR = 10


def funnel_skip_reason(borough: dict, hub_rows: list[dict]) -> str | None:
    """Why a funnel plot of these hubs would not inform (None when it would): the borough rate is 0% or 100%
    (the limits collapse onto the centre line), or fewer than 3 hubs have a denominator of 10 or more."""
    num, den = float(borough["numerator"]), float(borough["denominator"])
    if num <= 0 or num >= den:
        return f"the borough rate is {100 * num / den:.0f}% in {borough['period']}, so every hub sits on the limit"
    sized = [h for h in hub_rows if h.get("numerator") is not None and (h.get("denominator") or 0) >= FUNNEL_MIN_DENOMINATOR]
    if len(sized) < FUNNEL_MIN_HUBS:
        return (f"only {len(sized)} hub(s) have a denominator of {FUNNEL_MIN_DENOMINATOR} or more in "
                f"{borough['period']} (at least {FUNNEL_MIN_HUBS} needed)")
    return None


def funnel_section(data: ReportData, code: str, name: str, prefix: str, downloads: Path) -> Section:
    hubs_of = {h for h, (_, b) in data.hubs.items() if b == code}
    candidates = [data.gld_metric] + [m for m in data.metrics if m != data.gld_metric]
    first_found = None
    for mid in candidates:
        unit = str(data.metrics.get(mid, {}).get("unit") or "percent").lower()
        if mid is None or unit not in {"percent", "percentage", "proportion", "%"}:
            continue  # funnel limits here are for proportions
        borough_rows = sorted((v for v in data.values_by_code.get(code, []) if v["metric_id"] == mid
                               and v.get("numerator") is not None and v.get("denominator")),
                              key=lambda v: period_key(v["period"]))
        if not borough_rows:
            continue
        b = borough_rows[-1]
        hub_rows = [v for v in data.values_by_metric_period.get((mid, b["period"]), [])
                    if v.get("geography_level") == "hub" and (v["geography_code"] in hubs_of or not data.hubs)
                    and (data.hubs or str(v["geography_code"]).startswith(code))]
        if hub_rows and first_found is None:
            first_found = (mid, b, hub_rows)
        if funnel_skip_reason(b, hub_rows) is None:
            break
    else:
        reason = ("no hub-level values are published for this borough yet" if first_found is None else
                  funnel_skip_reason(first_found[1], first_found[2]))
        return Section("funnel", "Hubs within the borough (funnel plot)",
                       intro=f"No funnel plot for this borough: {reason}. A funnel plot only informs when the "
                             "borough's rate is between 0% and 100% and at least 3 hubs have 10 or more "
                             "children or families in the denominator.")
    info = data.metrics.get(mid, {})
    p0 = float(b["numerator"]) / float(b["denominator"])
    usable = [h for h in hub_rows if h.get("numerator") is not None and h.get("denominator")]
    n_max = max([float(h["denominator"]) for h in usable] + [20.0])
    steps = [max(5.0, n_max * 1.1 * i / 60) for i in range(1, 61)]
    limits = []
    for n in steps:
        lo95, hi95 = funnel_limits(p0, n, Z95)
        lo998, hi998 = funnel_limits(p0, n, Z998)
        limits.append((n, 100 * lo95, 100 * hi95, 100 * lo998, 100 * hi998))
    points, table_rows = [], []
    for h in sorted(hub_rows, key=lambda r: r["geography_code"]):
        hub_name = data.hubs.get(h["geography_code"], (h.get("geography_name") or h["geography_code"], code))[0]
        if h.get("numerator") is None or not h.get("denominator"):
            table_rows.append([hub_name, h["geography_code"], h.get("suppression_symbol") or "x", h.get("suppression_symbol") or "x",
                               h.get("suppression_symbol") or "x", "not plotted (suppressed or withheld)"])
            continue
        n, num = float(h["denominator"]), float(h["numerator"])
        value = 100 * num / n
        lo95, hi95 = funnel_limits(p0, n, Z95)
        lo998, hi998 = funnel_limits(p0, n, Z998)
        if value > 100 * hi998:
            pos = "above 99.8% limit"
        elif value < 100 * lo998:
            pos = "below 99.8% limit"
        elif value > 100 * hi95:
            pos = "above 95% limit"
        elif value < 100 * lo95:
            pos = "below 95% limit"
        else:
            pos = "within limits"
        points.append(charts.FunnelPoint(str(h["geography_code"]), n, value, pos))
        table_rows.append([hub_name, h["geography_code"], int(num), int(n), round(value, 1), pos])
    metric_name = info.get("metric_name") or mid
    number = {}
    for i, row in enumerate(table_rows, start=1):  # short numbered labels on the plot, names in the table
        number[row[1]] = str(i)
        row.insert(0, i)
    for p in points:
        p.label = number.get(p.label, p.label)
    svg = charts.funnel_plot(
        f"{prefix}-funnel", f"{name}: {metric_name} by hub, {b['period']}",
        f"Funnel plot of hubs in {name} for {metric_name} ({b['period']}), with 95% and 99.8% control limits "
        f"around the borough value of {100 * p0:.1f}%.", 100 * p0, limits, points)
    table = Table(f"Hubs {metric_name} {name} {b['period']}", ["Label", "Hub", "Hub id", "Numerator", "Denominator",
                                                               "Value %", "Position"],
                  table_rows, slug="funnel", numeric={3, 4, 5}, row_headers=False,
                  caption="Each hub is plotted with its label number; the label is the first column here.")
    write_downloads(table, downloads, prefix)
    return Section("funnel", f"Hubs within the borough: {metric_name}, {b['period']} (funnel plot)",
                   intro=f"{b['period']}. A hub outside the 99.8% limits differs from the borough more than chance "
                         "would explain; small hubs naturally vary more.",
                   svg=svg, figcaption="Funnel plot: control limits at 95% and 99.8% around the borough value "
                                       "(Wilson score limits).", tables=[table])


# ------------------------------------------------------------------------------ availability
def _availability_status(row: dict) -> str:
    for key in ("availability", "status", "availability_status", "data_status"):
        if row.get(key):
            return str(row[key]).lower()
    return "missing"


def availability_section(data: ReportData, code: str | None, name: str, prefix: str, downloads: Path) -> Section:
    rows = data.availability if code is None else [r for r in data.availability if r.get("borough_code") == code]
    if not rows:
        return Section("availability", "Data availability",
                       svg=charts.empty_chart(f"{prefix}-availability", "Data availability", "No availability information"),
                       intro="The availability map is not in the published file yet.")

    def dom(r: dict) -> str:
        return data.domain(r.get("domain") or data.metrics.get(r.get("metric_id"), {}).get("domain"))

    def lay(r: dict) -> str:
        layer = r.get("layer") if r.get("layer") is not None else data.metrics.get(r.get("metric_id"), {}).get("layer")
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
    svg = charts.heatmap(f"{prefix}-availability", f"{name}: share of metrics available",
                         "Heatmap of the share of metrics whose data are available (landed and passed checks); "
                         "the percentage is printed in each cell.", row_keys, col_keys, cells)
    table_rows = [[k[0], k[1], v[0], v[1], v[2], v[3], round(100 * v[1] / v[0], 1)] for k, v in sorted(counts.items())]
    heads = (["Borough", "Domain"] if code is None else ["Domain", "Layer"]) + [
        "Metrics", "Available", "Accessible", "Missing", "Coverage %"]
    table = Table(f"Availability {name}", heads, table_rows, slug="availability", numeric={2, 3, 4, 5, 6})
    write_downloads(table, downloads, prefix)
    tables = [table]
    if code is not None:
        gaps = [[data.metrics.get(r.get("metric_id"), {}).get("metric_name") or r.get("metric_id"), dom(r), lay(r),
                 _availability_status(r), r.get("reason") or ""] for r in rows if _availability_status(r) != "available"]
        if gaps:
            gap_table = Table(f"Metrics not available {name}", ["Metric", "Domain", "Layer", "Status", "Reason"],
                              sorted(gaps, key=lambda g: (g[1], g[0])), slug="availability-gaps")
            write_downloads(gap_table, downloads, prefix)
            tables.append(gap_table)
    keys = ["x"] if any(v is None for v in (cells.get((r, c)) for r in row_keys for c in col_keys)) else []
    return Section("availability", "Data availability", svg=svg, tables=tables, keys=keys,
                   figcaption="Available = landed and passed checks; accessible = the borough holds the data but "
                              "does not send it yet; missing = not collected.")


# ------------------------------------------------------------------------------------- DQ
def dq_section(data: ReportData, code: str | None, name: str, prefix: str, downloads: Path) -> Section:
    card = [r for r in data.scorecard if code is None or r.get("borough_code") == code]
    cycles = sorted({r["cycle"] for r in card})
    tables: list[Table] = []
    if not card:
        svg = charts.empty_chart(f"{prefix}-dq", "Data-quality score trend", "No data-quality scores yet")
    elif code is None:
        boroughs = sorted({r["borough_code"] for r in card}, key=lambda b: data.boroughs.get(b, b))
        cells = {}
        for r in card:
            if r["dimension"] == "overall" or not any(x["dimension"] == "overall" for x in card):
                cells[(data.boroughs.get(r["borough_code"], r["borough_code"]), r["cycle"])] = r["score"]
        svg = charts.heatmap(f"{prefix}-dq", "Data-quality score by borough and cycle",
                             "Overall data-quality score (0–100) per borough per performance cycle.",
                             [data.boroughs.get(b, b) for b in boroughs], cycles, cells)
    else:
        dims = sorted({r["dimension"] for r in card}, key=lambda d: (d != "overall", d))
        index = {c: i for i, c in enumerate(cycles)}
        series = []
        for i, d in enumerate(dims):
            pts = [(float(index[r["cycle"]]), r["score"]) for r in card if r["dimension"] == d]
            series.append(charts.Series(d, pts, charts.PALETTE[i % len(charts.PALETTE)],
                                        charts.DASHES[i % len(charts.DASHES)], charts.MARKERS[i % len(charts.MARKERS)],
                                        3.5 if d == "overall" else 2))
        svg = charts.line_chart(f"{prefix}-dq", f"{name}: data-quality score by dimension",
                                "Data-quality score (0–100) per dimension over performance cycles.", series,
                                x_labels={float(i): c for c, i in index.items()}, y_label="score", y_range=(0, 100))
    rows = [[data.boroughs.get(r["borough_code"], r["borough_code"]), r["cycle"], r["dimension"], r["score"],
             r.get("score_change") if r.get("score_change") is not None else "z", r.get("trend") or "z",
             r.get("checks_failed"), r.get("checks_warned"), r.get("detail") or ""]
            for r in sorted(card, key=lambda r: (r["borough_code"], r["cycle"], r["dimension"]))]
    t = Table(f"DQ scores {name}", ["Borough", "Cycle", "Dimension", "Score", "Change", "Trend", "Failed",
                                    "Warned", "Detail"], rows, slug="dq-scores", numeric={3, 4, 6, 7})
    write_downloads(t, downloads, prefix)
    tables.append(t)
    codes = [code] if code is not None else [c for c, _ in sorted(data.boroughs.items(), key=lambda kv: kv[1])]
    prows = []
    for b in codes:
        for p in problems_of(data, b):
            prows.append(([data.boroughs.get(b, b)] if code is None else []) + [p.impact_label, p.extract or "all extracts", p.period or "all periods",
                          p.dimension, p.rows if p.rows is not None else "z", p.what, p.fix, p.who])
    heads = ["Impact", "Extract", "Period", "Dimension", "Rows or deliveries", "What we found", "What to do",
             "Who can fix it"]
    if code is None:  # London: most impact first across boroughs
        rank = {label: r for r, label in IMPACT.values()}
        prows.sort(key=lambda r: (rank.get(r[1], 9), -(r[5] if isinstance(r[5], int) else 0)))
        heads.insert(0, "Borough")
    none_row = ["none", "z", "z", "z", "z", "No open problems in the latest run.", "z", "z"]
    pt = Table(f"Data problems {name}", heads, prows or [(["all"] if code is None else []) + none_row],
               slug="dq-problems", numeric={heads.index("Rows or deliveries")}, show=10 if code is not None else 15,
               caption="Ranked by impact: values not published first, then missing deliveries, failed checks, "
                       "late deliveries and warnings. The panel at the top lists the first three of this table.")
    write_downloads(pt, downloads, prefix)
    held = [w for w in data.withholdings if code is None or w.get("borough_code") == code]
    if held:
        wt = Table(f"Withheld values {name}", ["Borough", "Extract", "Period", "Values withheld", "Why"],
                   [[data.boroughs.get(w["borough_code"], w["borough_code"]), w.get("extract_type") or "all",
                     w.get("period") or "all", w.get("rows_withheld"), w.get("reasons")] for w in held],
                   slug="withheld", numeric={3}, show=10)
        write_downloads(wt, downloads, prefix)
        tables.append(wt)
    return Section("dq", "Data problems and data-quality scores", svg=svg, tables=tables, lead=[pt],
                   figcaption="Score = 100 × (passed + ½ warned) / checks evaluated in the cycle, per dimension.")


def problems_of(data: ReportData, code: str) -> list[Problem]:
    """The borough's ranked problems (cached: the panel and the table use the same list)."""
    cache = data.__dict__.setdefault("_problems", {})
    if code not in cache:
        cache[code] = borough_problems(code, data.checks, data.scorecard, data.withholdings, data.deliveries)
    return cache[code]


def _overall_scores(data: ReportData, code: str) -> list[dict]:
    """The borough's overall DQ score per cycle (the 'overall' row, else the mean of its dimensions)."""
    mine = [r for r in data.scorecard if r.get("borough_code") == code and r.get("score") is not None]
    overall = [r for r in mine if r.get("dimension") == "overall"]
    if not overall and mine:
        for cycle in sorted({r["cycle"] for r in mine}):
            scores = [float(r["score"]) for r in mine if r["cycle"] == cycle]
            overall.append({"cycle": cycle, "score": round(sum(scores) / len(scores), 1), "trend": None})
    return sorted(overall, key=lambda r: r["cycle"])


# ------------------------------------------------------------------------------------- pages
def css_string(value: object) -> Markup:
    """Text for a CSS string inside <style> (the print running header): quotes and backslashes escaped,
    angle brackets and line breaks dropped (HTML escaping does not apply inside <style>)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return Markup("".join(ch for ch in text if ch not in "<>\r\n"))  # noqa: S704 - escaped for CSS above


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    return env


def _docs_links(out_dir: Path) -> list[tuple[str, str, bool]]:
    links = []
    for label, folder in (("Great Expectations Data Docs", "data-docs"), ("dbt docs", "dbt-docs")):
        target = out_dir.parent / folder / "index.html"
        links.append((label, os.path.relpath(target, out_dir), target.exists()))
    return links


def _published_note(run_summary: object) -> str | None:
    """A one-line warning when tonight's run did not publish (the pages show the last published run's id
    only, so a page never carries two run ids)."""
    text = run_summary if isinstance(run_summary, str) else ""
    if isinstance(run_summary, dict) and run_summary.get("published") is False:
        text = "published: NO"
    if "published: NO" in text:
        return ("Tonight's run did not publish (see the run summary): the figures below are from the last "
                "published run.")
    return None


def _cycle(data: ReportData) -> str | None:
    cycles = [str(c.get("cycle")) for c in data.checks if c.get("cycle")] + [
        str(r.get("cycle")) for r in data.scorecard if r.get("cycle")]
    return max(cycles) if cycles else None


def build_report(published_db: Path, out_dir: Path, run_summary: object = None) -> list[Path]:
    """Write the London overview and one page per borough into ``out_dir``; return the HTML paths
    (London first). PDFs are printed separately (:func:`fhub.report.pdf.print_pdfs`)."""
    data = load(Path(published_db))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    downloads = out_dir / "data"
    downloads.mkdir(exist_ok=True)
    env = _env()
    generated = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    common = {"run_id": data.run_id or "unknown", "generated": generated, "docs_links": _docs_links(out_dir),
              "published_note": _published_note(run_summary), "cycle": _cycle(data) or "no cycle yet",
              "boroughs": sorted(data.boroughs.items(), key=lambda kv: kv[1]), "fmt": _fmt}
    pages: list[Path] = []

    overview_rows = []
    borough_pages = []
    for code, name in common["boroughs"]:
        prefix = f"borough-{code}"
        gld = gld_summary(data, code)
        official, provisional = gld_headline(data, code)
        scorecard, weakest, grid = scorecard_section(data, code, name, prefix, downloads)
        sections = [changes_section(data, code, name, prefix, downloads),
                    dq_section(data, code, name, prefix, downloads),
                    gld_section(data, code, name, prefix, downloads), scorecard,
                    funnel_section(data, code, name, prefix, downloads),
                    availability_section(data, code, name, prefix, downloads)]
        problems = problems_of(data, code)
        overall = _overall_scores(data, code)
        withheld = sum(int(w.get("rows_withheld") or 0) for w in data.withholdings if w.get("borough_code") == code)
        path = out_dir / f"{prefix}.html"
        path.write_text(env.get_template("borough.html.j2").render(
            **common, title=f"{name}: family hubs performance report", name=name, code=code, gld=gld,
            official=official, provisional=provisional, grid=grid, pdf=pdf_name(path),
            running=f"{name} · cycle {common['cycle']} · run {common['run_id']}",
            weakest=weakest, problems=problems, sections=sections, withheld=withheld,
            dq_overall=overall[-1] if overall else None), encoding="utf-8")
        borough_pages.append(path)
        overview_rows.append([name, gld.latest_year or "x", gld.latest_value if gld.latest_value is not None else (gld.symbol or "x"),
                              gld.target, gld.gap if gld.gap is not None else "x", gld.verdict,
                              weakest[0] if weakest else "x",
                              overall[-1]["score"] if overall else "x", len(problems), withheld, f"{prefix}.html"])
    london = "London"
    prefix = "london"
    overview = Table("Boroughs at a glance", ["Borough", "Latest GLD year", "GLD %", "Target %", "Gap (points)",
                                              "Verdict", "Weakest domain", "DQ score (latest cycle)",
                                              "Open data problems", "Values withheld", "Page"],
                     overview_rows, slug="boroughs", numeric={2, 3, 4, 7, 8, 9})
    write_downloads(overview, downloads, prefix)
    sections = [*london_sections(data, prefix, downloads),
                gld_section(data, LONDON_CODE, london, prefix, downloads),
                changes_section(data, None, london, prefix, downloads),
                availability_section(data, None, london, prefix, downloads),
                dq_section(data, None, london, prefix, downloads)]
    index = out_dir / "index.html"
    official, provisional = gld_headline(data, LONDON_CODE)
    index.write_text(env.get_template("index.html.j2").render(
        **common, title="London family hubs: performance-cycle report", name="London", overview=overview,
        sections=sections, london_gld=gld_summary(data, LONDON_CODE), official=official, provisional=provisional,
        pdf=pdf_name(index), running=f"London · cycle {common['cycle']} · run {common['run_id']}"),
        encoding="utf-8")
    pages.append(index)
    pages.extend(borough_pages)
    return pages
