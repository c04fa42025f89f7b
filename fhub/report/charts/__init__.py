"""Inline SVG charts (a module per chart: svg, line, spine, funnel, heatmap; London's tile map and area bars
in fhub/report/london.py), generated in Python (no JavaScript, no CDN). Every chart:

* has ``role="img"`` with a ``<title>`` and ``<desc>`` (screen readers), and sits in a ``<figure>`` beside a
  data table (the page template does that);
* uses the Okabe–Ito colour-blind-safe palette AND a second channel (marker shape, dash pattern, text
  label) so it reads without colour.
"""

from __future__ import annotations

from fhub.report.charts.funnel import FunnelPoint, funnel_plot, place_labels
from fhub.report.charts.heatmap import heatmap
from fhub.report.charts.line import Series, line_chart
from fhub.report.charts.spine import SpineRow, spine_chart
from fhub.report.charts.svg import (
    BLACK,
    BLUE,
    DASHES,
    GREEN,
    GREY,
    MARKERS,
    ORANGE,
    PALETTE,
    PURPLE,
    SKY,
    SYMBOL_WORDS,
    VERDICT_STYLE,
    VERMILLION,
    YELLOW,
    Scale,
    _svg_open,
    empty_chart,
    esc,
    marker,
    nice_ticks,
)

__all__ = [
    "BLACK",
    "BLUE",
    "DASHES",
    "GREEN",
    "GREY",
    "MARKERS",
    "ORANGE",
    "PALETTE",
    "PURPLE",
    "SKY",
    "SYMBOL_WORDS",
    "VERDICT_STYLE",
    "VERMILLION",
    "YELLOW",
    "FunnelPoint",
    "Scale",
    "Series",
    "SpineRow",
    "_svg_open",
    "empty_chart",
    "esc",
    "funnel_plot",
    "heatmap",
    "line_chart",
    "marker",
    "nice_ticks",
    "place_labels",
    "spine_chart",
]
