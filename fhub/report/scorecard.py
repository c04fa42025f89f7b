"""Every metric of a borough against London: the spine chart, the scorecard table and the domain × layer grid."""

from __future__ import annotations

import statistics
from pathlib import Path

from fhub.report import charts
from fhub.report.data import LONDON_CODE, ReportData, period_key
from fhub.report.labels import _high_is_good
from fhub.report.section import Section
from fhub.report.tables import Table, cell, write_downloads


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

