"""What changed since the last performance cycle: published values revised, withheld, restored or newly
suppressed, with readable labels (metric name, area name, breakdown) and the deliveries that explain them.

Built from ``dq_revisions`` (one row per run × changed value): the runs of the current cycle are folded into
one change per value (before = the value at the end of the previous cycle, now = tonight's). The page shows
the largest changes (top N, collapsed); the full table is a CSV/XLSX download.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fhub.dq.periods import financial_quarter
from fhub.report.data import ReportData
from fhub.report.section import Section
from fhub.report.tables import Table, cell, write_downloads

TOP_N = 10
COLUMNS = ["Metric", "Area", "Breakdown", "Period", "Before", "Now", "Change", "What happened", "Deliveries behind it"]


def cycle_of(moment: object) -> str | None:
    """The financial-quarter cycle (``2026/27 Q3``) of a date or timestamp."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return None
    return financial_quarter(moment) if isinstance(moment, date) else None


def _breakdown(r: dict) -> str:
    kind, value = str(r.get("breakdown_type") or "total"), str(r.get("breakdown_value") or "total")
    if kind == "total":
        return "all"
    return f"{kind.replace('_', ' ')}: {value.replace('_', ' ')}"


def fold_cycle(revisions: list[dict]) -> tuple[str | None, list[dict]]:
    """The latest cycle's revisions, one row per value (earliest before, latest now)."""
    cycles = {id(r): cycle_of(r.get("snapshot_at")) or str(r.get("cycle") or "") for r in revisions}
    latest = max((c for c in cycles.values() if c), default=None)
    folded: dict[tuple, dict] = {}
    for r in sorted(revisions, key=lambda r: str(r.get("snapshot_at") or r.get("run_id") or "")):
        if latest is not None and cycles[id(r)] != latest:
            continue
        key = (r.get("metric_id"), r.get("geography_code"), r.get("period"), r.get("breakdown_type"),
               r.get("breakdown_value"))
        if key in folded:
            first = folded[key]
            folded[key] = {**r, "previous_value": first.get("previous_value"), "value_change": None,
                           "causing_deliveries": "; ".join(filter(None, (first.get("causing_deliveries"),
                                                                         r.get("causing_deliveries"))))}
        else:
            folded[key] = dict(r)
    return latest, list(folded.values())


def _change(r: dict) -> float | None:
    """The change of a folded revision: its own, else now minus before (a cycle's runs folded into one)."""
    change = r.get("value_change")
    if change is None and r.get("current_value") is not None and r.get("previous_value") is not None:
        change = float(r["current_value"]) - float(r["previous_value"])
    return change


def _size(r: dict) -> tuple[int, float]:
    change = _change(r)
    kind = str(r.get("revision_kind") or "")
    return (0 if "withheld" in kind else 1, -abs(float(change)) if change is not None else 0.0)


def changes_section(data: ReportData, code: str | None, name: str, prefix: str, downloads: Path) -> Section:
    mine = [r for r in data.revisions if code is None or r.get("borough_code") == code]
    cycle, rows = fold_cycle(mine)
    area = data.area_names
    table_rows = []
    for r in sorted(rows, key=_size):
        metric = data.metrics.get(r.get("metric_id"), {})
        before, now, change = r.get("previous_value"), r.get("current_value"), _change(r)
        table_rows.append([metric.get("metric_name") or "metric not in the catalogue",
                           area.get(r.get("geography_code"), r.get("geography_name") or "area not in the catalogue"),
                           _breakdown(r), r.get("period"), cell(before, "x"), cell(now, "x"),
                           cell(change, "z"), f"{r.get('revision_kind') or 'value revised'} (r)",
                           r.get("causing_deliveries") or "no delivery recorded (a method or reference change)"])
    if not table_rows:
        return Section("changes", "What changed since the last cycle",
                       intro="No published value has changed in this cycle: every figure is as first published.")
    table = Table(f"Changes {name} {cycle or ''}".strip(), COLUMNS, table_rows, slug="changes", numeric={4, 5, 6},
                  show=TOP_N, caption="Largest changes first (values withheld or restored before revisions).")
    write_downloads(table, downloads, prefix)
    kinds: dict[str, int] = {}
    for r in rows:
        k = str(r.get("revision_kind") or "value revised")
        kinds[k] = kinds.get(k, 0) + 1
    summary = ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    return Section("changes", f"What changed since the last cycle ({cycle})" if cycle else "What changed",
                   intro=f"{len(rows):,} published values changed in this cycle: {summary}. The "
                         f"{min(TOP_N, len(rows))} largest are listed; the full list is in the download.",
                   tables=[table], collapsed=f"The {min(TOP_N, len(rows))} largest changes (of {len(rows):,})")
