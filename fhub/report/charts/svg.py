"""SVG building blocks shared by every chart: the Okabe–Ito palette, the verdict styles, scales, ticks,
markers, the accessible <svg> opening (title + desc) and an empty-chart placeholder."""

from __future__ import annotations

import html
import math
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
        return (
            f'<path d="M{x - s:.1f},{y - s:.1f} L{x + s:.1f},{y + s:.1f} M{x - s:.1f},{y + s:.1f} '
            f'L{x + s:.1f},{y - s:.1f}" stroke="{fill}" stroke-width="2.5" fill="none"/>'
        )
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
