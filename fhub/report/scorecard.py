"""Every metric of a borough against London: the spine chart, the scorecard table and the domain × layer grid."""

from __future__ import annotations

import statistics
from pathlib import Path

from fhub.report import charts
from fhub.report.benchmarks import neighbours_of, trend_cell, trend_short
from fhub.report.data import LONDON_CODE, ReportData, period_key
from fhub.report.labels import _high_is_good, definition_of
from fhub.report.section import Section
from fhub.report.tables import TREND_MARKS, Table, cell, write_downloads


# ------------------------------------------------------------------------------ scorecard/spine
def _latest_by_metric(data: ReportData, code: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for v in data.values_by_code.get(code, []):
        cur = out.get(v["metric_id"])
        if cur is None or period_key(v["period"]) > period_key(cur["period"]):
            out[v["metric_id"]] = v
    return out


def latest_values(data: ReportData, code: str) -> list[tuple[str, dict]]:
    """The borough's latest value of each metric, in the scorecard's order (domain, layer, metric)."""
    return sorted(
        _latest_by_metric(data, code).items(),
        key=lambda kv: (
            str(data.metrics.get(kv[0], {}).get("domain")),
            str(data.metrics.get(kv[0], {}).get("layer")),
            kv[0],
        ),
    )


def neighbours_label(data: ReportData, code: str) -> str:
    """The statistical-neighbour group as the file names it, model included ("Statistical neighbours (DfE 2025
    model)"), for the chart's legend."""
    names = {
        r.get("peer_group_name")
        for (b, _, _), r in data.neighbours.items()
        if b == code and r.get("peer_group_name")
    }
    return sorted(names)[0] if len(names) == 1 else "Statistical neighbours (DfE)"


def domain_verdicts(
    data: ReportData, code: str
) -> tuple[list[charts.SpineRow], dict[str, list[str]], list[list]]:
    rows, verdicts, table_rows = [], {}, []
    for mid, v in latest_values(data, code):
        info = data.metrics.get(mid, {})
        domain = data.domain(info.get("domain") or v.get("domain"))
        layer = data.layer(info.get("layer") if info.get("layer") is not None else v.get("layer"))
        same = data.values_by_metric_period.get((mid, v["period"]), [])
        peers = [
            float(p["value"])
            for p in same
            if p.get("geography_level") == "borough"
            and p.get("value") is not None
            and p["geography_code"] not in data.non_london
        ]
        london = next((p for p in same if p["geography_code"] == LONDON_CODE), None)
        bench = v.get("london_value")
        if bench is None and london is not None:
            bench = london.get("value")
        verdict = v.get("compared_to_london")
        sn = neighbours_of(data, code, v)
        q = statistics.quantiles(peers, n=4, method="inclusive") if len(peers) >= 2 else [None, None, None]
        rows.append(
            charts.SpineRow(
                group=f"{domain} · {layer}",
                label=str(info.get("metric_name") or mid),
                value=None if v.get("value") is None else float(v["value"]),
                benchmark=None if bench is None else float(bench),
                minimum=min(peers) if peers else None,
                q1=q[0],
                q3=q[2],
                maximum=max(peers) if peers else None,
                verdict=verdict,
                high_is_good=_high_is_good(info),
                symbol=None if v.get("value") is not None else (v.get("suppression_symbol") or "x"),
                england=None if v.get("england_value") is None else float(v["england_value"]),
                neighbours=sn.value,
                trend=trend_short(v.get("trend")),
                definition=definition_of(info),
            )
        )
        verdicts.setdefault(str(domain), []).append(verdict or "not compared")
        sym = v.get("suppression_symbol")
        dp = int(v["source_precision_dp"]) if v.get("source_precision_dp") is not None else 1  # issue 16
        table_rows.append(
            [
                info.get("metric_name") or mid,
                UNIT_LABELS.get(str(info.get("unit")), info.get("unit") or ""),
                domain,
                layer,
                v["period"],
                cell(v.get("value"), sym, dp),
                cell(v.get("lower_95"), sym, dp),
                cell(v.get("upper_95"), sym, dp),
                cell(bench, None, dp),
                cell(v.get("england_value"), None, dp),
                cell(sn.value, sn.symbol, dp),
                _verdict_cell(verdict),
                _verdict_cell(sn.compared, sn.symbol),
                trend_cell(v.get("trend"), sym),
                (v.get("source") or info.get("data_source") or "")
                + (" — provisional p" if v.get("is_provisional") else ""),
                sn.label,
                v.get("dq_status") or "",
            ]
        )
    return rows, verdicts, table_rows


def _verdict_cell(verdict: str | None, symbol: str | None = None) -> str:
    """▲ better / ● similar / ▼ worse (mark and word); z when not compared, or the benchmark's own symbol."""
    if not verdict:
        return symbol if symbol in ("c", "x") else "z"
    return f"{charts.VERDICT_STYLE.get(verdict, charts.VERDICT_STYLE[None])[2]} {verdict}"


UNIT_LABELS = {
    "percent": "%",
    "percentage": "%",
    "rate_per_1000": "per 1,000",
    "rate_per_10000": "per 10,000",
    "percentage_points": "percentage points",
    "points": "points",
    "count": "count",
    "days": "days",
    "mean": "mean",
}
SCORECARD_COLUMNS = [
    "Metric",
    "Unit",
    "Domain",
    "Layer",
    "Period",
    "Value",
    "Lower 95% CI",
    "Upper 95% CI",
    "London",
    "England",
    "Statistical neighbours",
    "Compared with London",
    "Compared with statistical neighbours",
    "Trend",
    "Source",
    "Statistical neighbours benchmark",
    "DQ status",
]
_LONDON_VERDICT = SCORECARD_COLUMNS.index("Compared with London")


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
        return domain, (
            f"no domain is significantly worse than London; this one has the fewest better results "
            f"({better} better, {n - better} similar of {n} compared)"
        )
    return domain, f"{worse} of {n} compared metrics significantly worse than London"


def scorecard_section(
    data: ReportData, code: str, name: str, prefix: str, downloads: Path
) -> tuple[Section, tuple[str, str] | None, Table]:
    rows, verdicts, table_rows = domain_verdicts(data, code)
    group = neighbours_label(data, code)
    svg = charts.spine_chart(
        f"{prefix}-spine",
        f"{name}: domain × layer scorecard against London",
        f"Each metric's latest value for {name} against the spread of London boroughs; marker shape gives the "
        "verdict by confidence interval: triangle up better, circle similar, triangle down worse. A hollow diamond "
        f"marks England and a cross the {group} where they have a figure; the recent trend is printed beside the "
        "verdict. The table below has every figure.",
        rows,
        neighbours_label=group,
    )
    table = Table(
        f"Scorecard {name}",
        SCORECARD_COLUMNS,
        table_rows,
        slug="scorecard",
        numeric={5, 6, 7, 8, 9, 10},
        caption="Statistical neighbours: the borough's 10 DfE statistical neighbours (the model year is in "
        "the benchmark column), DfE's published figures for them, pooled from their counts or "
        "the mean of their percentages; x where DfE publishes the measure for no other authority. "
        "Trend: Fingertips' test over the latest 5 comparable annual points.",
    )
    write_downloads(table, downloads, prefix)
    domains = sorted({r[2] for r in table_rows} | set(data.domain_names.values()))
    layers = sorted({r[3] for r in table_rows} | set(data.layer_names.values()))
    grid = []
    for d in domains:
        line: list[object] = [str(d)]
        for layer in layers:
            vs = [r[_LONDON_VERDICT] for r in table_rows if r[2] == d and r[3] == layer]
            if not vs:
                line.append("z")
                continue
            line.append(
                " ".join(
                    f"{s}{sum(1 for v in vs if v.endswith(w))}"
                    for s, w in (("▲", "better"), ("●", "similar"), ("▼", "worse"))
                )
                + f" of {len(vs)}"
            )
        grid.append(line)
    grid_table = Table(
        f"Domain by layer {name}",
        ["Domain", *layers],
        grid,
        slug="domain-layer",
        caption="▲ better, ● similar, ▼ worse than London (95% CI); z: no metric in this cell.",
    )
    write_downloads(grid_table, downloads, prefix)
    weakest = weakest_domain(verdicts)
    intro = (
        f"Weakest domain: {weakest[0]} ({weakest[1]})."
        if weakest
        else "No metric could be compared with London yet."
    )
    trend_keys = sorted({r.trend[:1] for r in rows if r.trend}, key=list(TREND_MARKS).index)
    return (
        Section(
            "scorecard",
            "Every metric against London, England and statistical neighbours (spine chart)",
            intro=intro,
            svg=svg,
            figcaption="Spine chart: grey bars show the range of London boroughs (dark: middle half); the "
            f"vertical line is London, ◇ England, × the {group}; 'better' is always to the right.",
            tables=[table],
            keys=["▲", "●", "▼", "c", "x", *trend_keys],
        ),
        weakest,
        grid_table,
    )
