"""London page charts: the 33 boroughs on a square tile grid (no external geodata) coloured by significance,
and an area comparison bar chart with 95% intervals and the London and England lines.

Colour is never the only channel: every tile prints the borough's short name, a verdict symbol (▲ ● ▼ or
"–" when not compared) and its value; bars carry the value as text and the table beside the chart holds all.
"""

from __future__ import annotations

from dataclasses import dataclass

from fhub.report.charts import BLUE, VERMILLION, Scale, _svg_open, empty_chart, esc

#: ONS code -> (short name, row, column) on the familiar London square grid (north at the top)
LONDON_TILES: dict[str, tuple[str, int, int]] = {
    "E09000010": ("ENF", 0, 3),
    "E09000015": ("HRW", 1, 1), "E09000003": ("BNT", 1, 2), "E09000014": ("HGY", 1, 3), "E09000031": ("WFT", 1, 4),
    "E09000017": ("HDN", 2, 0), "E09000005": ("BRT", 2, 1), "E09000007": ("CMD", 2, 2), "E09000019": ("ISL", 2, 3),
    "E09000012": ("HCK", 2, 4), "E09000026": ("RDB", 2, 5), "E09000016": ("HVG", 2, 6),
    "E09000009": ("EAL", 3, 0), "E09000013": ("HMS", 3, 1), "E09000020": ("KNS", 3, 2), "E09000033": ("WST", 3, 3),
    "E09000001": ("CTY", 3, 4), "E09000030": ("TWH", 3, 5), "E09000025": ("NWM", 3, 6), "E09000002": ("BDG", 3, 7),
    "E09000018": ("HNS", 4, 0), "E09000027": ("RCH", 4, 1), "E09000032": ("WNS", 4, 2), "E09000022": ("LBH", 4, 3),
    "E09000028": ("SWK", 4, 4), "E09000023": ("LSH", 4, 5), "E09000011": ("GRN", 4, 6), "E09000004": ("BXL", 4, 7),
    "E09000021": ("KTN", 5, 1), "E09000024": ("MRT", 5, 2), "E09000029": ("STN", 5, 3), "E09000008": ("CRD", 5, 4),
    "E09000006": ("BRM", 5, 5),
}

#: verdict -> (fill, text colour, symbol, legend words)
SIGNIFICANCE = {
    "better": (BLUE, "#ffffff", "▲", "significantly better"),
    "higher": (BLUE, "#ffffff", "▲", "significantly higher"),
    "similar": ("#d9d9d9", "#000000", "●", "not significantly different"),
    "worse": (VERMILLION, "#000000", "▼", "significantly worse"),
    "lower": (VERMILLION, "#000000", "▼", "significantly lower"),
    None: ("#ffffff", "#000000", "–", "not compared (no interval, or no value)"),
}


@dataclass
class AreaValue:
    code: str
    name: str
    value: float | None
    lower: float | None
    upper: float | None
    verdict: str | None
    symbol: str | None = None  # GSS symbol when there is no value


def tile_map(chart_id: str, title: str, desc: str, areas: list[AreaValue], benchmark: str) -> str:
    """The 33 London boroughs as squares; each tile a link-free group with a <title> for hover."""
    tile, gap, top, left = 74, 4, 8, 8
    cols = 1 + max(c for _, _, c in LONDON_TILES.values())
    rows = 1 + max(r for _, r, _ in LONDON_TILES.values())
    legend_h = 24 * 4 + 10
    width = left * 2 + cols * (tile + gap)
    height = top + rows * (tile + gap) + legend_h
    by_code = {a.code: a for a in areas}
    out = [_svg_open(width, height, title, desc, chart_id)]
    for code, (short, r, c) in LONDON_TILES.items():
        a = by_code.get(code)
        verdict = a.verdict if a and a.value is not None else None
        fill, ink, sym, words = SIGNIFICANCE.get(verdict, SIGNIFICANCE[None])
        x, y = left + c * (tile + gap), top + r * (tile + gap)
        value = "x" if a is None else (f"{a.value:.1f}" if a.value is not None else (a.symbol or "x"))
        name = a.name if a else short
        out.append(f'<g class="tile" data-code="{code}"><title>{esc(name)}: {esc(value)} ({esc(words)})</title>'
                   f'<rect x="{x}" y="{y}" width="{tile}" height="{tile}" fill="{fill}" stroke="#333"/>'
                   f'<text x="{x + tile / 2}" y="{y + 22}" text-anchor="middle" fill="{ink}" font-weight="700" '
                   f'font-size="15">{esc(short)}</text>'
                   f'<text x="{x + tile / 2}" y="{y + 44}" text-anchor="middle" fill="{ink}" font-size="15">'
                   f'{esc(sym)}</text>'
                   f'<text x="{x + tile / 2}" y="{y + 64}" text-anchor="middle" fill="{ink}" font-size="14">'
                   f'{esc(value)}</text></g>')
    ly = top + rows * (tile + gap) + 14
    for i, key in enumerate(("better", "similar", "worse", None)):
        fill, ink, sym, words = SIGNIFICANCE[key]
        y = ly + i * 24
        out.append(f'<rect x="{left}" y="{y - 12}" width="28" height="18" fill="{fill}" stroke="#333"/>'
                   f'<text x="{left + 14}" y="{y + 2}" text-anchor="middle" fill="{ink}" font-size="13">{sym}</text>'
                   f'<text x="{left + 38}" y="{y + 2}" font-size="14">{esc(words)}'
                   f'{" than " + esc(benchmark) if key else ""}</text>')
    out.append("</svg>")
    return "".join(out)


def area_bars(chart_id: str, title: str, desc: str, areas: list[AreaValue], lines: list[tuple[str, float, str]],
              unit: str = "%") -> str:
    """Horizontal bars (one per area, sorted by value) with 95% interval whiskers and vertical reference
    lines (London, England); verdict symbol and value printed at the end of each row."""
    plotted = [a for a in areas if a.value is not None]
    if not plotted:
        return empty_chart(chart_id, title, "No values to compare")
    plotted.sort(key=lambda a: -a.value)
    rest = sorted((a for a in areas if a.value is None), key=lambda a: a.name)
    row_h, top, label_w, right = 18, 34, 190, 120
    width = 760
    height = top + row_h * (len(plotted) + len(rest)) + 30
    values = [v for a in plotted for v in (a.value, a.lower, a.upper) if v is not None] + [v for _, v, _ in lines]
    lo = 0.0 if min(values) >= 0 else min(values)
    hi = max(values) * 1.05
    sx = Scale(lo, hi, label_w, width - right)
    out = [_svg_open(width, height, title, desc, chart_id)]
    for t in _ticks(lo, hi):
        out.append(f'<line x1="{sx(t):.1f}" x2="{sx(t):.1f}" y1="{top - 4}" y2="{height - 24}" stroke="#eee"/>'
                   f'<text x="{sx(t):.1f}" y="{height - 10}" text-anchor="middle" font-size="12">{t:g}{esc(unit)}</text>')
    y = top
    for a in plotted + rest:
        cy = y + row_h / 2
        out.append(f'<text x="{label_w - 6}" y="{cy + 4:.1f}" text-anchor="end" font-size="12">{esc(a.name)}</text>')
        fill, _ink, sym, _ = SIGNIFICANCE.get(a.verdict, SIGNIFICANCE[None])
        if a.value is None:
            out.append(f'<text x="{label_w + 4}" y="{cy + 4:.1f}" font-size="12">{esc(a.symbol or "x")}</text>')
        else:
            bar_fill = fill if fill != "#ffffff" else "#bdbdbd"
            out.append(f'<rect x="{sx(lo):.1f}" y="{cy - 6:.1f}" width="{max(sx(a.value) - sx(lo), 1):.1f}" height="12" '
                       f'fill="{bar_fill}" stroke="#333" stroke-width="0.5"><title>{esc(a.name)}: {a.value:.1f}</title></rect>')
            if a.lower is not None and a.upper is not None:
                out.append(f'<line x1="{sx(a.lower):.1f}" x2="{sx(a.upper):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="#000" '
                           f'stroke-width="1.5"/><line x1="{sx(a.lower):.1f}" x2="{sx(a.lower):.1f}" y1="{cy - 4:.1f}" '
                           f'y2="{cy + 4:.1f}" stroke="#000"/><line x1="{sx(a.upper):.1f}" x2="{sx(a.upper):.1f}" '
                           f'y1="{cy - 4:.1f}" y2="{cy + 4:.1f}" stroke="#000"/>')
            out.append(f'<text x="{width - right + 8}" y="{cy + 4:.1f}" font-size="12">{sym} {a.value:.1f}</text>')
        y += row_h
    for i, (label, value, dash) in enumerate(lines):
        x = sx(value)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 24}" stroke="#000" stroke-width="1.5" '
                   f'stroke-dasharray="{dash}"/><text x="{x + 3:.1f}" y="{12 + 12 * i}" font-size="12">{esc(label)} '
                   f'{value:.1f}</text>')
    out.append("</svg>")
    return "".join(out)


def _ticks(lo: float, hi: float) -> list[float]:
    from fhub.report.charts import nice_ticks

    return nice_ticks(lo, hi, 5)
