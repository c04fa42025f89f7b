"""Inline SVG charts, generated in Python (no JavaScript, no CDN). Every chart:

* has ``role="img"`` with a ``<title>`` and ``<desc>`` (screen readers), and sits in a ``<figure>`` beside a
  data table (the page template does that);
* uses the Okabe–Ito colour-blind-safe palette AND a second channel (marker shape, dash pattern, text
  label) so it reads without colour.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe–Ito
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#6b6b6b"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK)
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle", "square", "triangle")

VERDICT_STYLE = {  # verdict -> (colour, marker shape, text symbol)
    "better": (BLUE, "triangle", "▲"),
    "higher": (BLUE, "triangle", "▲"),
    "similar": (GREY, "circle", "●"),
    "worse": (VERMILLION, "triangle-down", "▼"),
    "lower": (VERMILLION, "triangle-down", "▼"),
    None: (GREY, "square", "■"),
}

#: short words for the GSS symbols a chart prints in place of a value (the full key sits beside the chart)
SYMBOL_WORDS = {"c": "suppressed", "x": "not available", "z": "not applicable"}

_FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"'


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass
class Scale:
    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (value - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=raw)
    start = math.ceil(lo / step) * step
    ticks = []
    v = start
    while v <= hi + 1e-9:
        ticks.append(round(v, 10))
        v += step
    return ticks


def marker(shape: str, x: float, y: float, size: float, fill: str, stroke: str = "#ffffff") -> str:
    s = size
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="1"'
    if shape == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {common}/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f},{y - s * 1.2:.1f} L{x + s * 1.1:.1f},{y + s * 0.9:.1f} L{x - s * 1.1:.1f},{y + s * 0.9:.1f} Z" {common}/>'
    if shape == "triangle-down":
        return f'<path d="M{x:.1f},{y + s * 1.2:.1f} L{x + s * 1.1:.1f},{y - s * 0.9:.1f} L{x - s * 1.1:.1f},{y - s * 0.9:.1f} Z" {common}/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f},{y - s * 1.3:.1f} L{x + s * 1.3:.1f},{y:.1f} L{x:.1f},{y + s * 1.3:.1f} L{x - s * 1.3:.1f},{y:.1f} Z" {common}/>'
    if shape == "cross":
        return (f'<path d="M{x - s:.1f},{y - s:.1f} L{x + s:.1f},{y + s:.1f} M{x - s:.1f},{y + s:.1f} '
                f'L{x + s:.1f},{y - s:.1f}" stroke="{fill}" stroke-width="2.5" fill="none"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}" {common}/>'


def _svg_open(width: int, height: int, title: str, desc: str, chart_id: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'class="chart" data-chart="{chart_id}" {_FONT} font-size="12">'
        f'<title id="{chart_id}-t">{esc(title)}</title><desc id="{chart_id}-d">{esc(desc)}</desc>'
    )


def empty_chart(chart_id: str, title: str, message: str, width: int = 640, height: int = 120) -> str:
    """A visible placeholder (still a non-empty SVG) when there is nothing to plot."""
    return (
        _svg_open(width, height, title, message, chart_id)
        + f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="#f7f7f7" stroke="#bbb"/>'
        + f'<text x="{width / 2}" y="{height / 2 + 4}" text-anchor="middle" fill="#333">{esc(message)}</text></svg>'
    )


@dataclass
class Series:
    label: str
    points: list[tuple[float, float | None]]  # (x, y); y None = gap
    colour: str = BLUE
    dash: str = ""
    shape: str = "circle"
    width: float = 2.5


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    series: Sequence[Series],
    *,
    x_labels: dict[float, str],
    y_label: str = "%",
    y_range: tuple[float, float] | None = None,
    hlines: Sequence[tuple[float, str, str]] = (),  # (y, label, colour)
    vlines: Sequence[tuple[float, str]] = (),  # (x, label)
    band: tuple[list[tuple[float, float, float]], str, str] | None = None,  # ([(x, lo, hi)], colour, label)
    break_gap: float = 1.0,
    width: int = 720,
    height: int = 360,
) -> str:
    ys = [y for s in series for _, y in s.points if y is not None] + [h[0] for h in hlines]
    if band:
        ys += [v for _, lo, hi in band[0] for v in (lo, hi)]
    if not ys:
        return empty_chart(chart_id, title, "No values to plot")
    lo, hi = y_range or (math.floor(min(ys) / 5) * 5 - 5, math.ceil(max(ys) / 5) * 5 + 5)
    if y_label == "%":
        lo, hi = max(lo, 0.0), min(hi, 100.0)
    xs = list(x_labels) + [x for s in series for x, _ in s.points]
    left, right, top, bottom = 56, 170, 20, 58
    sx = Scale(min(xs) - 0.4, max(xs) + 0.4, left, width - right)
    sy = Scale(lo, hi, height - bottom, top)
    out = [_svg_open(width, height, title, desc, chart_id)]
    out.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#fff" stroke="#ccc"/>')
    for t in nice_ticks(lo, hi):
        y = sy(t)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{t:g}</text>')
    label_xs = sorted(sx(x) for x in x_labels)
    spacing = min((b - a for a, b in zip(label_xs, label_xs[1:], strict=False)), default=width)
    for x, label in x_labels.items():
        if spacing < 8 * max((len(str(v)) for v in x_labels.values()), default=1):
            out.append(f'<text x="{sx(x):.1f}" y="{height - bottom + 14}" text-anchor="end" fill="#333" '
                       f'font-size="11" transform="rotate(-30 {sx(x):.1f} {height - bottom + 14})">{esc(label)}</text>')
        else:
            out.append(f'<text x="{sx(x):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#333">{esc(label)}</text>')
    out.append(f'<text x="14" y="{(top + height - bottom) / 2:.1f}" transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})" text-anchor="middle" fill="#333">{esc(y_label)}</text>')
    if band and band[0]:
        pts, colour, label = band
        upper = " ".join(f"{sx(x):.1f},{sy(min(max(h, lo), hi)):.1f}" for x, _, h in pts)
        lower = " ".join(f"{sx(x):.1f},{sy(min(max(lo_, lo), hi)):.1f}" for x, lo_, _ in reversed(pts))
        out.append(f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-dasharray="3 3"><title>{esc(label)}</title></polygon>')
    for y, label, colour in hlines:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="8 4"/>')
        out.append(f'<text x="{left + 6}" y="{sy(y) - 5:.1f}" fill="#111" font-weight="600">{esc(label)}</text>')
    for x, label in vlines:
        out.append(f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{top}" y2="{height - bottom}" stroke="#555" stroke-dasharray="2 4"/>')
        out.append(f'<text x="{sx(x) + 4:.1f}" y="{top + 12}" fill="#333" font-size="11">{esc(label)}</text>')
    legend_y = top + 40
    for i, s in enumerate(series):
        segments: list[list[tuple[float, float]]] = [[]]
        prev_x = None
        for x, y in sorted(s.points):
            if y is None or (prev_x is not None and x - prev_x > break_gap + 1e-9):
                segments.append([])
            if y is not None:
                segments[-1].append((x, y))
            prev_x = x
        for seg in segments:
            if len(seg) > 1:
                pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in seg)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{s.colour}" stroke-width="{s.width}" stroke-dasharray="{s.dash}"/>')
            for x, y in seg:
                out.append(marker(s.shape, sx(x), sy(y), 4.5, s.colour))
                out.append(f'<title>{esc(s.label)} {esc(x_labels.get(x, x))}: {y:.1f}</title>')
        ly = legend_y + i * 20
        lx = width - right + 8
        out.append(f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{s.colour}" stroke-width="{s.width}" stroke-dasharray="{s.dash}"/>')
        out.append(marker(s.shape, lx + 12, ly, 4, s.colour))
        out.append(f'<text x="{lx + 30}" y="{ly + 4}" fill="#111">{esc(s.label)}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class SpineRow:
    group: str  # e.g. "Learning · children"
    label: str
    value: float | None
    benchmark: float | None  # London value (centre of the spine)
    minimum: float | None
    q1: float | None
    q3: float | None
    maximum: float | None
    verdict: str | None  # better / similar / worse / lower / higher / None
    high_is_good: bool | None = True
    symbol: str | None = None  # GSS symbol when there is no value: c suppressed, x not available, z n/a


def spine_chart(chart_id: str, title: str, desc: str, rows: Sequence[SpineRow], width: int = 760) -> str:
    """Fingertips-style spine chart: London's range (min–max, inter-quartile) centred on London's value;
    the borough's marker shape/colour carries its verdict (▲ better, ● similar, ▼ worse). "Better" is to
    the right whatever the polarity."""
    if not rows:
        return empty_chart(chart_id, title, "No indicator values to compare")
    row_h, top, label_w, verdict_w = 26, 34, 300, 110
    groups: list[str] = []
    for r in rows:
        if r.group not in groups:
            groups.append(r.group)
    height = top + row_h * (len(rows) + len(groups)) + 40
    x0, x1 = label_w, width - verdict_w
    mid = (x0 + x1) / 2
    out = [_svg_open(width, height, title, desc, chart_id)]
    out.append(f'<text x="{x0}" y="16" fill="#333" font-size="11">◀ worse than London</text>')
    out.append(f'<text x="{x1}" y="16" text-anchor="end" fill="#333" font-size="11">better than London ▶</text>')
    out.append(f'<text x="{mid}" y="28" text-anchor="middle" fill="#333" font-size="11">London</text>')
    y = top
    for group in groups:
        y += row_h
        out.append(f'<text x="4" y="{y - 8}" font-weight="bold" fill="#111">{esc(group)}</text>')
        for r in (r for r in rows if r.group == group):
            cy = y + row_h / 2
            out.append(f'<text x="14" y="{cy + 4}" fill="#111">{esc(r.label if len(r.label) <= 44 else r.label[:43] + "…")}<title>{esc(r.label)}</title></text>')
            if r.benchmark is not None and r.minimum is not None and r.maximum is not None:
                span = max(abs(r.maximum - r.benchmark), abs(r.benchmark - r.minimum), 1e-9)
                sign = 1 if r.high_is_good in (True, None) else -1

                def pos(v: float, _span=span, _sign=sign, _bench=r.benchmark) -> float:
                    return min(x1, max(x0, mid + _sign * (v - _bench) / _span * (x1 - x0) / 2))

                a, b = sorted((pos(r.minimum), pos(r.maximum)))
                out.append(f'<rect x="{a:.1f}" y="{cy - 7}" width="{max(b - a, 1):.1f}" height="14" fill="#d9d9d9"/>')
                if r.q1 is not None and r.q3 is not None:
                    a, b = sorted((pos(r.q1), pos(r.q3)))
                    out.append(f'<rect x="{a:.1f}" y="{cy - 7}" width="{max(b - a, 1):.1f}" height="14" fill="#9e9e9e"/>')
                if r.value is not None:
                    colour, shape, _ = VERDICT_STYLE.get(r.verdict, VERDICT_STYLE[None])
                    out.append(marker(shape, pos(r.value), cy, 6, colour, "#000"))
            out.append(f'<line x1="{mid}" x2="{mid}" y1="{cy - 10}" y2="{cy + 10}" stroke="#000" stroke-width="1.5"/>')
            _, _, symbol = VERDICT_STYLE.get(r.verdict, VERDICT_STYLE[None])
            text = (f"{r.symbol or 'x'} {SYMBOL_WORDS.get(r.symbol or 'x', '')}".strip() if r.value is None
                    else f"{symbol} {r.verdict or 'not compared'}")
            out.append(f'<text x="{x1 + 8}" y="{cy + 4}" fill="#111">{esc(text)}</text>')
            y += row_h
    ly = height - 14
    out.append(f'<rect x="{x0}" y="{ly - 9}" width="18" height="10" fill="#d9d9d9"/><text x="{x0 + 22}" y="{ly}" font-size="11">London boroughs min–max</text>')
    out.append(f'<rect x="{x0 + 190}" y="{ly - 9}" width="18" height="10" fill="#9e9e9e"/><text x="{x0 + 212}" y="{ly}" font-size="11">25th–75th percentile</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass
class FunnelPoint:
    label: str
    denominator: float
    value: float  # percent
    position: str  # e.g. "above 99.8% limit"


def funnel_plot(
    chart_id: str,
    title: str,
    desc: str,
    centre: float,
    limits: Sequence[tuple[float, float, float, float, float]],  # (n, lo95, hi95, lo998, hi998) in %
    points: Sequence[FunnelPoint],
    width: int = 720,
    height: int = 380,
) -> str:
    if not points or not limits:
        return empty_chart(chart_id, title, "No hub values to plot (suppressed or not available)")
    left, right, top, bottom = 56, 190, 20, 46
    n_max = max(max(p.denominator for p in points), limits[-1][0])
    ys = [p.value for p in points] + [v for row in limits for v in row[1:]] + [centre]
    lo, hi = max(0, math.floor(min(ys) / 5) * 5 - 5), min(100, math.ceil(max(ys) / 5) * 5 + 5)
    sx = Scale(0, n_max * 1.05, left, width - right)
    sy = Scale(lo, hi, height - bottom, top)
    out = [_svg_open(width, height, title, desc, chart_id)]
    out.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#fff" stroke="#ccc"/>')
    for t in nice_ticks(lo, hi):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    for t in nice_ticks(0, n_max * 1.05):
        out.append(f'<text x="{sx(t):.1f}" y="{height - bottom + 16}" text-anchor="middle">{t:g}</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">Denominator (children / families in the hub)</text>')
    for idx, (colour, dash, _label) in ((1, (ORANGE, "6 3", "95% limits")), (3, (VERMILLION, "2 3", "99.8% limits"))):
        for j in (idx, idx + 1):
            pts = " ".join(f"{sx(row[0]):.1f},{sy(row[j]):.1f}" for row in limits)
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-dasharray="{dash}"/>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(centre):.1f}" y2="{sy(centre):.1f}" stroke="{BLACK}" stroke-width="1.5"/>')
    placed = place_labels([(sx(p.denominator), sy(p.value), p.label) for p in points],
                          (left, top, width - right, height - bottom))
    for p, (tx, ty, leader) in zip(points, placed, strict=True):
        outside = "above" in p.position or "below" in p.position
        shape = "diamond" if "99.8" in p.position else ("square" if outside else "circle")
        colour = VERMILLION if "below" in p.position else (BLUE if "above" in p.position else GREY)
        out.append(marker(shape, sx(p.denominator), sy(p.value), 5.5, colour, "#000"))
        if leader:
            out.append(f'<line x1="{sx(p.denominator):.1f}" y1="{sy(p.value):.1f}" x2="{tx:.1f}" y2="{ty - 4:.1f}" '
                       'stroke="#777" stroke-width="0.8"/>')
        out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="11" data-label="{esc(p.label)}">{esc(p.label)}</text>')
    lx = width - right + 10
    legend = [
        (f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 20}" y2="{top + 20}" stroke="#000" stroke-width="1.5"/>', f"Borough {centre:.1f}%"),
        (f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 40}" y2="{top + 40}" stroke="{ORANGE}" stroke-width="1.8" stroke-dasharray="6 3"/>', "95% limits"),
        (f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 60}" y2="{top + 60}" stroke="{VERMILLION}" stroke-width="1.8" stroke-dasharray="2 3"/>', "99.8% limits"),
        (marker("circle", lx + 12, top + 80, 5, GREY, "#000"), "within limits"),
        (marker("square", lx + 12, top + 100, 5, "#ffffff", "#000"), "outside 95%"),
        (marker("diamond", lx + 12, top + 120, 5, "#ffffff", "#000"), "outside 99.8%"),
        (f'<rect x="{lx + 6}" y="{top + 134}" width="12" height="12" fill="{BLUE}"/>', "above the borough"),
        (f'<rect x="{lx + 6}" y="{top + 154}" width="12" height="12" fill="{VERMILLION}"/>', "below the borough"),
    ]
    for i, (sym, text) in enumerate(legend):
        out.append(sym + f'<text x="{lx + 30}" y="{top + 24 + 20 * i}">{esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def place_labels(anchors: Sequence[tuple[float, float, str]], box: tuple[float, float, float, float],
                 char_w: float = 6.6, text_h: float = 12.0) -> list[tuple[float, float, bool]]:
    """Positions (x, baseline y, needs a leader line) for short labels beside points so that no two labels
    overlap each other or another point's marker: each label tries the spots around its point, then steps
    further out, and takes the first free one (greedy, densest points first)."""
    left, top, right, bottom = box
    markers = [(x - 6, y - 6, x + 6, y + 6) for x, y, _ in anchors]
    taken: list[tuple[float, float, float, float]] = []
    result: list[tuple[float, float, bool] | None] = [None] * len(anchors)

    def clear(r: tuple[float, float, float, float], own: int) -> bool:
        if r[0] < left or r[2] > right + 60 or r[1] < top - 4 or r[3] > bottom + 4:
            return False
        others = taken + [m for i, m in enumerate(markers) if i != own]
        return not any(r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3] for o in others)

    order = sorted(range(len(anchors)), key=lambda i: (anchors[i][1], anchors[i][0]))
    for i in order:
        x, y, label = anchors[i]
        w = char_w * len(label) + 2
        chosen = None
        for step in range(0, 12):
            d = 8 + step * 10
            for dx, dy in ((d, -4), (d, 12), (-d - w, -4), (-d - w, 12), (-w / 2, -d), (-w / 2, d + text_h)):
                rect = (x + dx, y + dy - text_h, x + dx + w, y + dy)
                if clear(rect, i):
                    chosen = (rect, step > 0 or dy not in (-4, 12))
                    break
            if chosen:
                break
        if chosen is None:  # nowhere free: fall back beside the point (still listed in the table)
            chosen = ((x + 8, y - 4 - text_h, x + 8 + w, y - 4), False)
        taken.append(chosen[0])
        result[i] = (chosen[0][0], chosen[0][3], chosen[1])
    return [r for r in result if r is not None]


def heatmap(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: dict[tuple[str, str], float | None],  # 0–100 or None
    width: int = 760,
) -> str:
    """Sequential (light → dark blue) heatmap with the number printed in every cell."""
    if not rows or not columns:
        return empty_chart(chart_id, title, "No availability information")
    label_w, top = 190, 70
    cell_w = max(36, min(90, (width - label_w - 10) / len(columns)))
    cell_h = 28
    width = int(label_w + cell_w * len(columns) + 10)
    height = int(top + cell_h * len(rows) + 10)
    out = [_svg_open(width, height, title, desc, chart_id)]
    for j, col in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        out.append(f'<text x="{x:.1f}" y="{top - 8}" transform="rotate(-35 {x:.1f} {top - 8})" font-size="11">{esc(col[:22])}</text>')
    for i, row in enumerate(rows):
        y = top + i * cell_h
        out.append(f'<text x="{label_w - 6}" y="{y + cell_h / 2 + 4}" text-anchor="end">{esc(row[:30])}</text>')
        for j, col in enumerate(columns):
            v = cells.get((row, col))
            x = label_w + j * cell_w
            if v is None:
                fill, text, ink = "#f2f2f2", "x", "#333"
            else:
                t = max(0.0, min(1.0, v / 100))
                # interpolate #f7fbff -> #08306b (sequential blue, readable in greyscale)
                r = int(247 + (8 - 247) * t)
                g = int(251 + (48 - 251) * t)
                b = int(255 + (107 - 255) * t)
                fill, text, ink = f"#{r:02x}{g:02x}{b:02x}", f"{v:.0f}%", "#fff" if t > 0.55 else "#000"
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}"><title>{esc(row)} × {esc(col)}: {esc(text)}</title></rect>')
            out.append(f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 4}" text-anchor="middle" fill="{ink}" font-size="11">{esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)
