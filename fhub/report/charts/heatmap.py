"""Sequential heatmap with the number printed in every cell (availability, DQ scores by borough)."""

from __future__ import annotations

from collections.abc import Sequence

from fhub.report.charts.svg import _svg_open, empty_chart, esc


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
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" transform="rotate(-35 {x:.1f} {top - 8})" font-size="11">{esc(col[:22])}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * cell_h
        out.append(
            f'<text x="{label_w - 6}" y="{y + cell_h / 2 + 4}" text-anchor="end">{esc(row[:30])}</text>'
        )
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
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}"><title>{esc(row)} × {esc(col)}: {esc(text)}</title></rect>'
            )
            out.append(
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 4}" text-anchor="middle" fill="{ink}" font-size="11">{esc(text)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
