"""Hubs within the borough: a funnel plot, only where it informs."""

from __future__ import annotations

from pathlib import Path

from fhub.report import charts
from fhub.report.data import ReportData, period_key
from fhub.report.section import Section
from fhub.report.stats import Z95, Z998, funnel_limits
from fhub.report.tables import Table, write_downloads

# ------------------------------------------------------------------------------------ funnel
FUNNEL_MIN_HUBS = 3
FUNNEL_MIN_DENOMINATOR = 10


def funnel_skip_reason(borough: dict, hub_rows: list[dict]) -> str | None:
    """Why a funnel plot of these hubs would not inform (None when it would): the borough rate is 0% or 100%
    (the limits collapse onto the centre line), or fewer than 3 hubs have a denominator of 10 or more."""
    num, den = float(borough["numerator"]), float(borough["denominator"])
    if num <= 0 or num >= den:
        return f"the borough rate is {100 * num / den:.0f}% in {borough['period']}, so every hub sits on the limit"
    sized = [
        h
        for h in hub_rows
        if h.get("numerator") is not None and (h.get("denominator") or 0) >= FUNNEL_MIN_DENOMINATOR
    ]
    if len(sized) < FUNNEL_MIN_HUBS:
        return (
            f"only {len(sized)} hub(s) have a denominator of {FUNNEL_MIN_DENOMINATOR} or more in "
            f"{borough['period']} (at least {FUNNEL_MIN_HUBS} needed)"
        )
    return None


def funnel_section(data: ReportData, code: str, name: str, prefix: str, downloads: Path) -> Section:
    hubs_of = {h for h, (_, b) in data.hubs.items() if b == code}
    candidates = [data.gld_metric] + [m for m in data.metrics if m != data.gld_metric]
    first_found = None
    for mid in candidates:
        unit = str(data.metrics.get(mid, {}).get("unit") or "percent").lower()
        if mid is None or unit not in {"percent", "percentage", "proportion", "%"}:
            continue  # funnel limits here are for proportions
        borough_rows = sorted(
            (
                v
                for v in data.values_by_code.get(code, [])
                if v["metric_id"] == mid and v.get("numerator") is not None and v.get("denominator")
            ),
            key=lambda v: period_key(v["period"]),
        )
        if not borough_rows:
            continue
        b = borough_rows[-1]
        hub_rows = [
            v
            for v in data.values_by_metric_period.get((mid, b["period"]), [])
            if v.get("geography_level") == "hub"
            and (v["geography_code"] in hubs_of or not data.hubs)
            and (data.hubs or str(v["geography_code"]).startswith(code))
        ]
        if hub_rows and first_found is None:
            first_found = (mid, b, hub_rows)
        if funnel_skip_reason(b, hub_rows) is None:
            break
    else:
        reason = (
            "no hub-level values are published for this borough yet"
            if first_found is None
            else funnel_skip_reason(first_found[1], first_found[2])
        )
        return Section(
            "funnel",
            "Hubs within the borough (funnel plot)",
            intro=f"No funnel plot for this borough: {reason}. A funnel plot only informs when the "
            "borough's rate is between 0% and 100% and at least 3 hubs have 10 or more "
            "children or families in the denominator.",
        )
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
        hub_name = data.hubs.get(h["geography_code"], (h.get("geography_name") or h["geography_code"], code))[
            0
        ]
        if h.get("numerator") is None or not h.get("denominator"):
            table_rows.append(
                [
                    hub_name,
                    h["geography_code"],
                    h.get("suppression_symbol") or "x",
                    h.get("suppression_symbol") or "x",
                    h.get("suppression_symbol") or "x",
                    "not plotted (suppressed or withheld)",
                ]
            )
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
        f"{prefix}-funnel",
        f"{name}: {metric_name} by hub, {b['period']}",
        f"Funnel plot of hubs in {name} for {metric_name} ({b['period']}), with 95% and 99.8% control limits "
        f"around the borough value of {100 * p0:.1f}%.",
        100 * p0,
        limits,
        points,
    )
    table = Table(
        f"Hubs {metric_name} {name} {b['period']}",
        ["Label", "Hub", "Hub id", "Numerator", "Denominator", "Value %", "Position"],
        table_rows,
        slug="funnel",
        numeric={3, 4, 5},
        row_headers=False,
        caption="Each hub is plotted with its label number; the label is the first column here.",
    )
    write_downloads(table, downloads, prefix)
    return Section(
        "funnel",
        f"Hubs within the borough: {metric_name}, {b['period']} (funnel plot)",
        intro=f"{b['period']}. A hub outside the 99.8% limits differs from the borough more than chance "
        "would explain; small hubs naturally vary more.",
        svg=svg,
        figcaption="Funnel plot: control limits at 95% and 99.8% around the borough value "
        "(Wilson score limits).",
        tables=[table],
    )
