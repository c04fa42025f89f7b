"""Funnel plot of hubs around their borough value, with labels placed so that none overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fhub.report.charts.svg import (
    BLACK,
    BLUE,
    GREY,
    ORANGE,
    VERMILLION,
    Scale,
    _svg_open,
    empty_chart,
    esc,
    marker,
    nice_ticks,
)


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
    out.append(
        f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#fff" stroke="#ccc"/>'
    )
    for t in nice_ticks(lo, hi):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#eee"/>'
        )
        out.append(f'<text x="{left - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
    for t in nice_ticks(0, n_max * 1.05):
        out.append(f'<text x="{sx(t):.1f}" y="{height - bottom + 16}" text-anchor="middle">{t:g}</text>')
    out.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">Denominator (children / families in the hub)</text>'
    )
    for idx, (colour, dash, _label) in (
        (1, (ORANGE, "6 3", "95% limits")),
        (3, (VERMILLION, "2 3", "99.8% limits")),
    ):
        for j in (idx, idx + 1):
            pts = " ".join(f"{sx(row[0]):.1f},{sy(row[j]):.1f}" for row in limits)
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-dasharray="{dash}"/>'
            )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{sy(centre):.1f}" y2="{sy(centre):.1f}" stroke="{BLACK}" stroke-width="1.5"/>'
    )
    placed = place_labels(
        [(sx(p.denominator), sy(p.value), p.label) for p in points],
        (left, top, width - right, height - bottom),
    )
    for p, (tx, ty, leader) in zip(points, placed, strict=True):
        outside = "above" in p.position or "below" in p.position
        shape = "diamond" if "99.8" in p.position else ("square" if outside else "circle")
        colour = VERMILLION if "below" in p.position else (BLUE if "above" in p.position else GREY)
        out.append(marker(shape, sx(p.denominator), sy(p.value), 5.5, colour, "#000"))
        if leader:
            out.append(
                f'<line x1="{sx(p.denominator):.1f}" y1="{sy(p.value):.1f}" x2="{tx:.1f}" y2="{ty - 4:.1f}" '
                'stroke="#777" stroke-width="0.8"/>'
            )
        out.append(
            f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="11" data-label="{esc(p.label)}">{esc(p.label)}</text>'
        )
    lx = width - right + 10
    legend = [
        (
            f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 20}" y2="{top + 20}" stroke="#000" stroke-width="1.5"/>',
            f"Borough {centre:.1f}%",
        ),
        (
            f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 40}" y2="{top + 40}" stroke="{ORANGE}" stroke-width="1.8" stroke-dasharray="6 3"/>',
            "95% limits",
        ),
        (
            f'<line x1="{lx}" x2="{lx + 24}" y1="{top + 60}" y2="{top + 60}" stroke="{VERMILLION}" stroke-width="1.8" stroke-dasharray="2 3"/>',
            "99.8% limits",
        ),
        (marker("circle", lx + 12, top + 80, 5, GREY, "#000"), "within limits"),
        (marker("square", lx + 12, top + 100, 5, "#ffffff", "#000"), "outside 95%"),
        (marker("diamond", lx + 12, top + 120, 5, "#ffffff", "#000"), "outside 99.8%"),
        (f'<rect x="{lx + 6}" y="{top + 134}" width="12" height="12" fill="{BLUE}"/>', "above the borough"),
        (
            f'<rect x="{lx + 6}" y="{top + 154}" width="12" height="12" fill="{VERMILLION}"/>',
            "below the borough",
        ),
    ]
    for i, (sym, text) in enumerate(legend):
        out.append(sym + f'<text x="{lx + 30}" y="{top + 24 + 20 * i}">{esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def place_labels(
    anchors: Sequence[tuple[float, float, str]],
    box: tuple[float, float, float, float],
    char_w: float = 6.6,
    text_h: float = 12.0,
) -> list[tuple[float, float, bool]]:
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
