"""Per-node times from dbt's own result lines (``12 of 80 OK created sql table model main.fct_x ... [OK in 3.2s]``).

The nightly logs every dbt node result with the ``dbt: `` prefix; these give the time dbt spent per model and
test inside the build, which the benchmark compares with the same model run directly in DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_RESULT = re.compile(
    r"dbt: \d+ of \d+ (?P<status>[A-Z][A-Z ]*?) (?P<what>.+?) \.*\s*\[(?P<tag>[^\]]*?) in (?P<secs>[\d.]+)s\]"
)


@dataclass(frozen=True)
class NodeTime:
    name: str
    kind: str  # model | test | seed | unit_test
    status: str
    seconds: float


def _classify(what: str) -> tuple[str, str]:
    """``created sql table model marts.fct_x`` -> (fct_x, model); anything not a model/seed/unit test is a test."""
    words = what.split()
    name = words[-1] if words else what
    padded = f" {what} "
    if " model " in padded:
        kind = "model"
    elif " seed " in padded:
        kind = "seed"
    elif "::" in name or "unit_test" in padded:
        kind = "unit_test"
    else:
        kind = "test"
    return (name if "::" in name else name.split(".")[-1]), kind


def node_times(lines: Iterable[str]) -> list[NodeTime]:
    out: list[NodeTime] = []
    for text in lines:
        match = _RESULT.search(text)
        if not match:
            continue
        name, kind = _classify(match.group("what").strip())
        out.append(NodeTime(name, kind, match.group("status").strip(), float(match.group("secs"))))
    return out


def totals_by_kind(times: Iterable[NodeTime]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for node in times:
        totals[node.kind] = totals.get(node.kind, 0.0) + node.seconds
    return totals
