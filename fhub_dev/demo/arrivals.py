"""When each demo delivery "arrived": its file's modification time, which landing records as ``received_at``.

Real deliveries arrive over months, a few days or weeks after the period they cover; the data-quality scorecard
scores each performance cycle (the financial quarter a file arrived in) and compares it with the previous one.
Written all at once, every demo file would arrive tonight: one cycle, no previous score, no trend. So each file
is dated ``period end + lag``: the borough's usual lag (5-15 days, its own habit), a few days' noise and, for
about one file in twelve, a late delivery (three to six weeks more) - so the demo's scorecard has many cycles,
``previous_score``, ``score_change`` and ``trend`` (issue 16). EYFSP files arrive in the autumn after the
academic year. Never later than ``now`` (a file cannot arrive in the future).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np

from fhub.dq.periods import period_range

LATE_SHARE = 1 / 12


def arrival_lag_days(rng: np.random.Generator, usual: int) -> int:
    lag = usual + int(rng.integers(0, 5))
    if rng.random() < LATE_SHARE:
        lag += int(rng.integers(21, 43))
    return lag


def usual_lag_days(code_number: int) -> int:
    """A borough's habitual lag in days (5-15), fixed per borough."""
    return 5 + code_number * 7 % 11


def arrival_time(period: str, lag_days: int, now: dt.datetime) -> dt.datetime:
    """``period`` end + ``lag_days`` (10:00 that day), at most ``now``."""
    try:
        _start, end = period_range(period)
    except ValueError:
        return now
    if end is None:
        return now
    when = dt.datetime.combine(end, dt.time(10, 0)) + dt.timedelta(days=lag_days - 1)
    return min(when, now)


def stamp(path: Path, when: dt.datetime) -> None:
    """Set the file's modification (and access) time: landing reads it as the delivery's arrival."""
    ts = when.replace(tzinfo=dt.UTC).timestamp() if when.tzinfo is None else when.timestamp()
    os.utime(path, (ts, ts))


class Arrivals:
    """Dates one borough's files, deterministically from the seed."""

    def __init__(self, seed: int, code_number: int, now: dt.datetime | None = None) -> None:
        self.rng = np.random.default_rng([seed, code_number, 5])
        self.usual = usual_lag_days(code_number)
        self.now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    def date(self, path: Path, period: str, *, extra_days: int = 0) -> dt.datetime:
        when = arrival_time(period, arrival_lag_days(self.rng, self.usual) + extra_days, self.now)
        stamp(path, when)
        return when
