"""Which deliveries are due and missing - derived from the borough mapping files and the calendar.

Rule (kept deliberately simple; README "Notifications"):

* each borough × extract in a mapping file is expected at the *coarsest* cadence its file specs declare
  (``period_format``: a borough sending monthly and daily contacts owes a month; daily-only counts as monthly);
* a period is **due** ``days_after_period_end`` days after its last day (config, per cadence: e.g. monthly
  contacts 10 days after month end, quarterly 20, EYFSP's academic year 61 days after 31 August);
* only the **latest** due period is checked (older gaps were reported when they were the latest);
* it is **missing** when no delivery for it has landed - a landed file for the period, or for a day/month
  inside it, counts; quarantined or held files do not (the message says how many were received).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fhub.dq.periods import period_range

#: coarsest first wins; day-only extracts are expected monthly
_ORDER = {"day": 0, "month": 1, "quarter": 2, "academic_year": 3}
_LANDED = ("landed", "superseded")


@dataclass(frozen=True)
class MissingDelivery:
    borough_slug: str
    borough_code: str
    borough_name: str
    extract: str
    period: str
    due_on: dt.date
    #: files received for the period that did not land (quarantined, held, ...)
    not_landed: int = 0


def _period_of(cadence: str, day: dt.date) -> str:
    if cadence == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if cadence == "quarter":
        start = day.year if day.month >= 4 else day.year - 1
        return f"{start}/{(start + 1) % 100:02d} Q{((day.month - 4) % 12) // 3 + 1}"
    if cadence == "academic_year":
        start = day.year if day.month >= 9 else day.year - 1
        return f"{start}/{(start + 1) % 100:02d}"
    raise ValueError(f"unknown cadence {cadence!r}")


def latest_due_period(cadence: str, today: dt.date, days_after_end: int) -> tuple[str, dt.date]:
    """The most recent period of ``cadence`` whose due date (last day + ``days_after_end``) is before today."""
    day = today
    while True:
        period = _period_of(cadence, day)
        start, end = period_range(period)
        due_on = end - dt.timedelta(days=1) + dt.timedelta(days=days_after_end)
        if due_on < today:
            return period, due_on
        day = start - dt.timedelta(days=1)


def expected_cadences(mappings) -> dict[tuple[str, str], str]:
    """(borough slug, extract) → cadence, from the mapping files (``slug → BoroughMapping``)."""
    out: dict[tuple[str, str], str] = {}
    for slug, mapping in mappings.items():
        for spec in mapping.files:
            cadence = "month" if spec.period_format == "day" else spec.period_format
            key = (slug, spec.extract)
            if key not in out or _ORDER[cadence] > _ORDER[out[key]]:
                out[key] = cadence
    return out


def missing_deliveries(mappings, ledger: list[tuple[str, str, str, str]], today: dt.date,
                       days_after_period_end: dict[str, int],
                       not_before: dt.date | None = None) -> list[MissingDelivery]:
    """Every borough × extract whose latest due period has no landed delivery. ``ledger`` rows are
    (borough_code, extract_type, period, status) of all deliveries."""
    ranges: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = {}
    for code, extract, period, status in ledger:
        try:
            start, end = period_range(period)
        except ValueError:
            continue
        if start is not None:
            ranges.setdefault((code, extract), []).append((start, end, status))
    missing = []
    for (slug, extract), cadence in sorted(expected_cadences(mappings).items()):
        if cadence not in days_after_period_end:
            continue
        mapping = mappings[slug]
        period, due_on = latest_due_period(cadence, today, days_after_period_end[cadence])
        start, end = period_range(period)
        if not_before is not None and end <= not_before:
            continue
        inside = [s for a, b, s in ranges.get((mapping.borough_code, extract), []) if a >= start and b <= end]
        if not any(s in _LANDED for s in inside):
            missing.append(MissingDelivery(slug, mapping.borough_code, mapping.borough_name, extract, period,
                                           due_on, not_landed=len(inside)))
    return missing
