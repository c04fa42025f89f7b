"""Line chart with markers, dashes, target lines, a series break and a shaded band (the GLD trend, DQ scores)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from fhub.report.charts.svg import BLUE, Scale, _svg_open, empty_chart, esc, marker, nice_ticks


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
    out.append(
        f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#fff" stroke="#ccc"/>'
    )
    for t in nice_ticks(lo, hi):
        y = sy(t)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{t:g}</text>')
    label_xs = sorted(sx(x) for x in x_labels)
    spacing = min((b - a for a, b in zip(label_xs, label_xs[1:], strict=False)), default=width)
    for x, label in x_labels.items():
        if spacing < 8 * max((len(str(v)) for v in x_labels.values()), default=1):
            out.append(
                f'<text x="{sx(x):.1f}" y="{height - bottom + 14}" text-anchor="end" fill="#333" '
                f'font-size="11" transform="rotate(-30 {sx(x):.1f} {height - bottom + 14})">{esc(label)}</text>'
            )
        else:
            out.append(
                f'<text x="{sx(x):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#333">{esc(label)}</text>'
            )
    out.append(
        f'<text x="14" y="{(top + height - bottom) / 2:.1f}" transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})" text-anchor="middle" fill="#333">{esc(y_label)}</text>'
    )
    if band and band[0]:
        pts, colour, label = band
        upper = " ".join(f"{sx(x):.1f},{sy(min(max(h, lo), hi)):.1f}" for x, _, h in pts)
        lower = " ".join(f"{sx(x):.1f},{sy(min(max(lo_, lo), hi)):.1f}" for x, lo_, _ in reversed(pts))
        out.append(
            f'<polygon points="{upper} {lower}" fill="{colour}" fill-opacity="0.25" stroke="{colour}" stroke-dasharray="3 3"><title>{esc(label)}</title></polygon>'
        )
    for y, label, colour in hlines:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="8 4"/>'
        )
        out.append(
            f'<text x="{left + 6}" y="{sy(y) - 5:.1f}" fill="#111" font-weight="600">{esc(label)}</text>'
        )
    for x, label in vlines:
        out.append(
            f'<line x1="{sx(x):.1f}" x2="{sx(x):.1f}" y1="{top}" y2="{height - bottom}" stroke="#555" stroke-dasharray="2 4"/>'
        )
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
                out.append(
                    f'<polyline points="{pts}" fill="none" stroke="{s.colour}" stroke-width="{s.width}" stroke-dasharray="{s.dash}"/>'
                )
            for x, y in seg:
                out.append(marker(s.shape, sx(x), sy(y), 4.5, s.colour))
                out.append(f"<title>{esc(s.label)} {esc(x_labels.get(x, x))}: {y:.1f}</title>")
        ly = legend_y + i * 20
        lx = width - right + 8
        out.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{s.colour}" stroke-width="{s.width}" stroke-dasharray="{s.dash}"/>'
        )
        out.append(marker(s.shape, lx + 12, ly, 4, s.colour))
        out.append(f'<text x="{lx + 30}" y="{ly + 4}" fill="#111">{esc(s.label)}</text>')
    out.append("</svg>")
    return "".join(out)
