"""Periods in file names (the table in :mod:`fhub.landing.mapping`): the ``period`` group of a file-name pattern
read according to the spec's ``period_format``."""

from __future__ import annotations

import datetime as dt
import re

PERIOD_FORMATS = ("day", "month", "quarter", "academic_year")


class PeriodError(ValueError):
    """A file name matched a mapping pattern but its ``period`` text cannot be read as that period."""


# --------------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------------
_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def _fy(start: int, end_text: str) -> str | None:
    end = int(end_text)
    if (len(end_text) == 2 and end != (start + 1) % 100) or (len(end_text) == 4 and end != start + 1):
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def parse_period(text: str, period_format: str) -> str:
    """Canonical period string for the ``period`` group text (see the module docstring).

    Raises :class:`PeriodError` if the text is not a valid period of that kind.
    """
    t = text.strip()
    if period_format == "day":
        for rx, order in (
            (r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})", "ymd"),
            (r"(\d{2})[-_.](\d{2})[-_.](\d{4})", "dmy"),
        ):
            m = re.fullmatch(rx, t, flags=re.ASCII)
            if m:
                a, b, c = (int(g) for g in m.groups())
                y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
                try:
                    return dt.date(y, mo, d).isoformat()
                except ValueError:
                    break
    elif period_format == "month":
        m = re.fullmatch(r"(\d{4})[-_.]?(\d{2})", t, flags=re.ASCII)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
        m = re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*[-_ ]?(\d{4})", t, flags=re.ASCII)
        if m and m.group(1).lower() in _MONTHS:
            return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"
    elif period_format == "quarter":
        m = re.fullmatch(r"(?:FY)?(\d{4})[-_/]?(\d{2}|\d{4})[ _-]?Q([1-4])", t, flags=re.IGNORECASE | re.ASCII)
        if m:
            fy = _fy(int(m.group(1)), m.group(2))
            if fy:
                return f"{fy} Q{m.group(3)}"
    elif period_format == "academic_year":
        m = re.fullmatch(r"(?:AY)?(\d{4})[-_/]?(\d{2}|\d{4})", t, flags=re.IGNORECASE | re.ASCII)
        if m:
            ay = _fy(int(m.group(1)), m.group(2))
            if ay:
                return ay
    else:
        raise PeriodError(f"unknown period_format {period_format!r}; use one of {', '.join(PERIOD_FORMATS)}")
    raise PeriodError(
        f"the period in the file name is not a valid {period_format}; see fhub/landing/mapping/ for the accepted forms "
        "(e.g. day 2024-05-13, month 2024-05, quarter 2024-25_Q1, academic_year 2023-24)"
    )
