"""Data problems (one ranked list per borough) and the data-quality score trend."""

from __future__ import annotations

from pathlib import Path

from fhub.report import charts
from fhub.report.data import ReportData
from fhub.report.problems import IMPACT, Problem, borough_problems
from fhub.report.section import Section
from fhub.report.tables import Table, write_downloads


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
        svg = charts.heatmap(
            f"{prefix}-dq",
            "Data-quality score by borough and cycle",
            "Overall data-quality score (0–100) per borough per performance cycle.",
            [data.boroughs.get(b, b) for b in boroughs],
            cycles,
            cells,
        )
    else:
        dims = sorted({r["dimension"] for r in card}, key=lambda d: (d != "overall", d))
        index = {c: i for i, c in enumerate(cycles)}
        series = []
        for i, d in enumerate(dims):
            pts = [(float(index[r["cycle"]]), r["score"]) for r in card if r["dimension"] == d]
            series.append(
                charts.Series(
                    d,
                    pts,
                    charts.PALETTE[i % len(charts.PALETTE)],
                    charts.DASHES[i % len(charts.DASHES)],
                    charts.MARKERS[i % len(charts.MARKERS)],
                    3.5 if d == "overall" else 2,
                )
            )
        svg = charts.line_chart(
            f"{prefix}-dq",
            f"{name}: data-quality score by dimension",
            "Data-quality score (0–100) per dimension over performance cycles.",
            series,
            x_labels={float(i): c for c, i in index.items()},
            y_label="score",
            y_range=(0, 100),
        )
    rows = [
        [
            data.boroughs.get(r["borough_code"], r["borough_code"]),
            r["cycle"],
            r["dimension"],
            r["score"],
            r.get("score_change") if r.get("score_change") is not None else "z",
            r.get("trend") or "z",
            r.get("checks_failed"),
            r.get("checks_warned"),
            r.get("detail") or "",
        ]
        for r in sorted(card, key=lambda r: (r["borough_code"], r["cycle"], r["dimension"]))
    ]
    t = Table(
        f"DQ scores {name}",
        ["Borough", "Cycle", "Dimension", "Score", "Change", "Trend", "Failed", "Warned", "Detail"],
        rows,
        slug="dq-scores",
        numeric={3, 4, 6, 7},
    )
    write_downloads(t, downloads, prefix)
    tables.append(t)
    codes = (
        [code] if code is not None else [c for c, _ in sorted(data.boroughs.items(), key=lambda kv: kv[1])]
    )
    prows = []
    for b in codes:
        for p in problems_of(data, b):
            prows.append(
                ([data.boroughs.get(b, b)] if code is None else [])
                + [
                    p.impact_label,
                    p.extract or "all extracts",
                    p.period or "all periods",
                    p.dimension,
                    p.rows if p.rows is not None else "z",
                    p.what,
                    p.fix,
                    p.who,
                ]
            )
    heads = [
        "Impact",
        "Extract",
        "Period",
        "Dimension",
        "Rows or deliveries",
        "What we found",
        "What to do",
        "Who can fix it",
    ]
    if code is None:  # London: most impact first across boroughs
        rank = {label: r for r, label in IMPACT.values()}
        prows.sort(key=lambda r: (rank.get(r[1], 9), -(r[5] if isinstance(r[5], int) else 0)))
        heads.insert(0, "Borough")
    none_row = ["none", "z", "z", "z", "z", "No open problems in the latest run.", "z", "z"]
    pt = Table(
        f"Data problems {name}",
        heads,
        prows or [(["all"] if code is None else []) + none_row],
        slug="dq-problems",
        numeric={heads.index("Rows or deliveries")},
        show=10 if code is not None else 15,
        caption="Ranked by impact: values not published first, then missing deliveries, failed checks, "
        "late deliveries and warnings. The panel at the top lists the first three of this table.",
    )
    write_downloads(pt, downloads, prefix)
    held = [w for w in data.withholdings if code is None or w.get("borough_code") == code]
    if held:
        wt = Table(
            f"Withheld values {name}",
            ["Borough", "Extract", "Period", "Values withheld", "Why"],
            [
                [
                    data.boroughs.get(w["borough_code"], w["borough_code"]),
                    w.get("extract_type") or "all",
                    w.get("period") or "all",
                    w.get("rows_withheld"),
                    w.get("reasons"),
                ]
                for w in held
            ],
            slug="withheld",
            numeric={3},
            show=10,
        )
        write_downloads(wt, downloads, prefix)
        tables.append(wt)
    return Section(
        "dq",
        "Data problems and data-quality scores",
        svg=svg,
        tables=tables,
        lead=[pt],
        figcaption="Score = 100 × (passed + ½ warned) / checks evaluated in the cycle, per dimension.",
    )


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
