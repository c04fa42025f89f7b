"""Fingertips-style spine chart: every metric of a borough against the spread of London boroughs, with England
and the borough's DfE statistical neighbours as markers of their own and the recent trend beside the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fhub.report.charts.svg import (
    BLACK,
    SYMBOL_WORDS,
    VERDICT_STYLE,
    _svg_open,
    empty_chart,
    esc,
    marker,
)

DARK_PURPLE = "#7d2e68"
#: the comparators' markers: shape (and a text key) carries them, colour only helps
ENGLAND_MARK = ("diamond", "none", BLACK)  # hollow diamond
NEIGHBOURS_MARK = ("cross", DARK_PURPLE, DARK_PURPLE)  # ×, darker than Okabe–Ito purple for 3:1 contrast


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
    england: float | None = None
    neighbours: float | None = None  # the statistical neighbours' benchmark
    trend: str = ""  # mark and a few words (fhub.report.benchmarks.trend_short)
    definition: str = ""  # shown as the label's tooltip


def spine_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[SpineRow],
    width: int = 870,
    neighbours_label: str = "statistical neighbours",
) -> str:
    """Fingertips-style spine chart: London's range (min–max, inter-quartile) centred on London's value;
    the borough's marker shape/colour carries its verdict (▲ better, ● similar, ▼ worse); England (◇) and the
    statistical neighbours (×) are marked on the same scale where they have a figure. "Better" is to the right
    whatever the polarity. The verdict and the trend are printed in words beside each row."""
    if not rows:
        return empty_chart(chart_id, title, "No indicator values to compare")
    row_h, top, label_w, verdict_w, trend_w = 26, 34, 300, 110, 120
    groups: list[str] = []
    for r in rows:
        if r.group not in groups:
            groups.append(r.group)
    height = top + row_h * (len(rows) + len(groups)) + 58
    x0, x1 = label_w, width - verdict_w - trend_w
    mid = (x0 + x1) / 2
    out = [_svg_open(width, height, title, desc, chart_id)]
    out.append(f'<text x="{x0}" y="16" fill="#333" font-size="11">◀ worse than London</text>')
    out.append(
        f'<text x="{x1}" y="16" text-anchor="end" fill="#333" font-size="11">better than London ▶</text>'
    )
    out.append(f'<text x="{mid}" y="28" text-anchor="middle" fill="#333" font-size="11">London</text>')
    out.append(f'<text x="{x1 + 8}" y="28" fill="#333" font-size="11">vs London</text>')
    out.append(f'<text x="{x1 + verdict_w + 4}" y="28" fill="#333" font-size="11">recent trend</text>')
    y = top
    for group in groups:
        y += row_h
        out.append(f'<text x="4" y="{y - 8}" font-weight="bold" fill="#111">{esc(group)}</text>')
        for r in (r for r in rows if r.group == group):
            cy = y + row_h / 2
            tip = r.label + (f": {r.definition}" if r.definition else "")
            out.append(
                f'<text x="14" y="{cy + 4}" fill="#111">{esc(r.label if len(r.label) <= 44 else r.label[:43] + "…")}<title>{esc(tip)}</title></text>'
            )
            if r.benchmark is not None and r.minimum is not None and r.maximum is not None:
                span = max(abs(r.maximum - r.benchmark), abs(r.benchmark - r.minimum), 1e-9)
                sign = 1 if r.high_is_good in (True, None) else -1

                def pos(v: float, _span=span, _sign=sign, _bench=r.benchmark) -> float:
                    return min(x1, max(x0, mid + _sign * (v - _bench) / _span * (x1 - x0) / 2))

                a, b = sorted((pos(r.minimum), pos(r.maximum)))
                out.append(
                    f'<rect x="{a:.1f}" y="{cy - 7}" width="{max(b - a, 1):.1f}" height="14" fill="#d9d9d9"/>'
                )
                if r.q1 is not None and r.q3 is not None:
                    a, b = sorted((pos(r.q1), pos(r.q3)))
                    out.append(
                        f'<rect x="{a:.1f}" y="{cy - 7}" width="{max(b - a, 1):.1f}" height="14" fill="#9e9e9e"/>'
                    )
                if r.value is not None:
                    colour, shape, _ = VERDICT_STYLE.get(r.verdict, VERDICT_STYLE[None])
                    out.append(marker(shape, pos(r.value), cy, 6, colour, "#000"))
                # the comparators on top (smaller, hollow or a cross), so neither hides the other
                for who, v, (shape, fill, stroke) in (
                    ("England", r.england, ENGLAND_MARK),
                    (neighbours_label, r.neighbours, NEIGHBOURS_MARK),
                ):
                    if v is not None:
                        out.append(
                            f'<g class="comparator" data-comparator="{"england" if who == "England" else "neighbours"}">'
                            + marker(shape, pos(v), cy, 4.5, fill, stroke)
                            + f"<title>{esc(who)}: {v:.1f}</title></g>"
                        )
            out.append(
                f'<line x1="{mid}" x2="{mid}" y1="{cy - 10}" y2="{cy + 10}" stroke="#000" stroke-width="1.5"/>'
            )
            _, _, symbol = VERDICT_STYLE.get(r.verdict, VERDICT_STYLE[None])
            text = (
                f"{r.symbol or 'x'} {SYMBOL_WORDS.get(r.symbol or 'x', '')}".strip()
                if r.value is None
                else f"{symbol} {r.verdict or 'not compared'}"
            )
            out.append(f'<text x="{x1 + 8}" y="{cy + 4}" fill="#111">{esc(text)}</text>')
            if r.trend:
                out.append(
                    f'<text x="{x1 + verdict_w + 4}" y="{cy + 4}" fill="#111" class="trend">{esc(r.trend)}</text>'
                )
            y += row_h
    ly = height - 32
    out.append(
        f'<rect x="{x0}" y="{ly - 9}" width="18" height="10" fill="#d9d9d9"/><text x="{x0 + 22}" y="{ly}" font-size="11">London boroughs min–max</text>'
    )
    out.append(
        f'<rect x="{x0 + 190}" y="{ly - 9}" width="18" height="10" fill="#9e9e9e"/><text x="{x0 + 212}" y="{ly}" font-size="11">25th–75th percentile</text>'
    )
    out.append(
        f'<line x1="{x0 + 360}" x2="{x0 + 360}" y1="{ly - 10}" y2="{ly + 2}" stroke="#000" stroke-width="1.5"/><text x="{x0 + 366}" y="{ly}" font-size="11">London</text>'
    )
    ly += 18
    shape, fill, stroke = ENGLAND_MARK
    out.append(
        marker(shape, x0 + 9, ly - 4, 4.5, fill, stroke)
        + f'<text x="{x0 + 22}" y="{ly}" font-size="11">England</text>'
    )
    shape, fill, stroke = NEIGHBOURS_MARK
    out.append(
        marker(shape, x0 + 199, ly - 4, 4.5, fill, stroke)
        + f'<text x="{x0 + 212}" y="{ly}" font-size="11" class="legend-neighbours">{esc(neighbours_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)
