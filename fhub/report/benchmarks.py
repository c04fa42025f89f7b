"""What a borough's figure is compared with beside London and England: its DfE statistical neighbours (labelled
with the benchmark's source - DfE's published figures or the members' own records pooled - and the neighbour
model, 2025 or 2021), and its significance-tested recent trend as a mark plus words (never colour alone).

The statistical-neighbour comparison comes from the published ``peer_comparisons`` relation (peer group
``statistical_neighbours``); a file without it falls back to ``indicator_values``' ``neighbours_value``. Where
there is no benchmark the GSS symbol says why: ``c`` it would reveal a suppressed cell, ``x`` not available
(DfE publishes the measure for no other authority, or the benchmark is withheld).
"""

from __future__ import annotations

from dataclasses import dataclass

from fhub.report.data import ReportData

NO_NEIGHBOURS = "none: DfE publishes this measure for no other local authority"


@dataclass(frozen=True)
class Neighbours:
    value: float | None
    symbol: str | None  # GSS symbol when there is no value: c (would reveal a suppressed cell) or x
    compared: str | None  # better / similar / worse / lower / higher
    label: str  # the benchmark's identity: group and model, DfE published or pooled records, members, source


def _identity(source: str) -> str:
    """Say first whether the benchmark is DfE's published figures or the members' own records pooled."""
    if "own records" in source:
        return f"pooled borough records - {source}"
    return f"DfE published figures - {source}"


def neighbours_of(data: ReportData, code: str, value: dict) -> Neighbours:
    """The statistical-neighbour benchmark of one borough value (an ``indicator_values`` row)."""
    row = data.neighbours.get((code, value["metric_id"], value["period"]))
    if row is not None:
        bench = row.get("benchmark_value")
        source = str(row.get("benchmark_source") or row.get("peer_group_name") or "statistical neighbours")
        if bench is not None:
            return Neighbours(float(bench), None, row.get("compared_to_benchmark"), _identity(source))
        if "suppressed" in source:
            return Neighbours(None, "c", None, source)
        reason = row.get("dq_reason") or "benchmark withheld"
        return Neighbours(
            None, "x", None, f"{row.get('peer_group_name') or 'statistical neighbours'}: {reason}"
        )
    if value.get("neighbours_value") is not None:  # a published file without peer_comparisons
        source = str(value.get("neighbours_benchmark") or "statistical neighbours")
        return Neighbours(
            float(value["neighbours_value"]), None, value.get("compared_to_neighbours"), _identity(source)
        )
    return Neighbours(None, "x", None, NO_NEIGHBOURS)


def trend_mark(trend: object) -> str:
    """The mark of a Fingertips recent-trend text: ↑ increasing, ↓ decreasing, → no significant change,
    – could not be calculated (the key: ``fhub.report.tables.TREND_MARKS``)."""
    text = str(trend or "").lower()
    if text.startswith("increasing"):
        return "↑"
    if text.startswith("decreasing"):
        return "↓"
    if "no significant" in text:
        return "→"
    return "–"


def trend_cell(trend: object, symbol: str | None = None) -> str:
    """A table cell for the trend: the mark and the words (``↑ increasing and getting better``), or the value's
    GSS symbol when there is no trend (suppressed ``c``, not available ``x``)."""
    if not trend:
        return symbol or "x"
    return f"{trend_mark(trend)} {trend}"


def trend_short(trend: object) -> str:
    """Mark and a few words for the spine chart's narrow column."""
    if not trend:
        return ""
    text = str(trend).lower()
    words = (
        "getting better"
        if "better" in text
        else "getting worse"
        if "worse" in text
        else "increasing"
        if text.startswith("increasing")
        else "decreasing"
        if text.startswith("decreasing")
        else "no change"
        if "no significant" in text
        else "not calculated"
    )
    return f"{trend_mark(trend)} {words}"
