"""Canonical period strings → half-open date ranges, so a failing delivery period can be matched to the
indicator periods it touches (docs/architecture.md "Periods").

``2024-05-13`` day · ``2024-05`` month · ``2024/25 Q1`` financial quarter (Apr–Jun = Q1) ·
``2024/25 FY`` financial year · ``2023/24`` academic year (Sep–Aug) · ``2024`` calendar year.
``None``/``''``/``all`` mean "every period" (an unbounded range).
"""

from __future__ import annotations

import re
from datetime import date, datetime

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FQ = re.compile(r"^(\d{4})/(\d{2})\s*Q([1-4])$")
_FY = re.compile(r"^(\d{4})/(\d{2})\s*FY$")
_AY = re.compile(r"^(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

DateRange = tuple[date | None, date | None]


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + (d.month - 1) + months
    return date(total // 12, total % 12 + 1, 1)


def period_range(period: str | None) -> DateRange:
    """Return ``(start, end)`` with ``end`` exclusive; ``(None, None)`` for "all periods".

    Raises ``ValueError`` naming the period when the string is not a canonical period.
    """
    text = (period or "").strip()
    if text == "" or text.lower() in {"all", "*"}:
        return (None, None)
    if m := _DAY.match(text):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return (d, date.fromordinal(d.toordinal() + 1))
    if m := _MONTH.match(text):
        d = date(int(m[1]), int(m[2]), 1)
        return (d, _add_months(d, 1))
    if m := _FQ.match(text):
        start = _add_months(date(int(m[1]), 4, 1), 3 * (int(m[3]) - 1))
        return (start, _add_months(start, 3))
    if m := _FY.match(text):
        start = date(int(m[1]), 4, 1)
        return (start, _add_months(start, 12))
    if m := _AY.match(text):
        start = date(int(m[1]), 9, 1)
        return (start, _add_months(start, 12))
    if m := _YEAR.match(text):
        return (date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1))
    raise ValueError(
        f"Period {period!r} is not a canonical period (expected e.g. 2024-05-13, 2024-05, 2024/25 Q1, "
        "2024/25 FY, 2023/24)."
    )


def overlaps(a: DateRange, b: DateRange) -> bool:
    """True when two half-open ranges share at least one day (``None`` bounds are open)."""
    a_start, a_end = a
    b_start, b_end = b
    if a_start is not None and b_end is not None and b_end <= a_start:
        return False
    return not (b_start is not None and a_end is not None and a_end <= b_start)


def financial_quarter(moment: date | datetime) -> str:
    """The performance cycle a date falls in, e.g. 2024-05-13 → ``2024/25 Q1``."""
    d = moment.date() if isinstance(moment, datetime) else moment
    start_year = d.year if d.month >= 4 else d.year - 1
    quarter = ((d.month - 4) % 12) // 3 + 1
    return f"{start_year}/{(start_year + 1) % 100:02d} Q{quarter}"
