"""The performance-cycle calendar (``config/performance_cycles.yml``): which cycle a publish belongs to.

Default UK financial-year quarters: a publish on 2026-08-14 belongs to ``2026/27 Q2`` (1 July - 30 September
2026). Configurable: ``year_start_month`` and ``months_per_cycle`` (3 quarters ``Q1``-``Q4``, 6 halves ``H1``/
``H2``, 12 whole years ``FY``, else ``C1``...), or an explicit list of named cycles with start and end dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

CONFIG = Path("config") / "performance_cycles.yml"
_LETTER = {3: "Q", 6: "H"}


@dataclass(frozen=True)
class Cycle:
    name: str
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True)
class CycleCalendar:
    year_start_month: int = 4
    months_per_cycle: int = 3
    cycles: tuple[Cycle, ...] = ()  # explicit cycles replace the rule

    def __post_init__(self) -> None:
        if not 1 <= self.year_start_month <= 12:
            raise ValueError("performance cycles: year_start_month must be 1-12")
        if self.months_per_cycle not in (1, 2, 3, 4, 6, 12):
            raise ValueError("performance cycles: months_per_cycle must divide 12 (1, 2, 3, 4, 6 or 12)")
        for a, b in zip(self.cycles, self.cycles[1:], strict=False):
            if b.start <= a.end:
                raise ValueError(f"performance cycles: {b.name!r} starts before {a.name!r} ends")
        for c in self.cycles:
            if c.end < c.start:
                raise ValueError(f"performance cycles: {c.name!r} ends before it starts")

    def cycle_of(self, day: dt.date | dt.datetime) -> Cycle | None:
        """The cycle holding ``day``; None when an explicit calendar has none."""
        day = day.date() if isinstance(day, dt.datetime) else day
        if self.cycles:
            return next((c for c in self.cycles if c.start <= day <= c.end), None)
        start_year = day.year if day.month >= self.year_start_month else day.year - 1
        offset = (day.month - self.year_start_month) % 12
        number = offset // self.months_per_cycle + 1
        first_month = self.year_start_month + (number - 1) * self.months_per_cycle
        start = dt.date(start_year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
        next_month = first_month + self.months_per_cycle
        end = dt.date(start_year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
        year = f"{start_year}/{(start_year + 1) % 100:02d}" if self.year_start_month != 1 else str(start_year)
        if self.months_per_cycle == 12:
            return Cycle(f"{year} FY" if self.year_start_month != 1 else year, start, end)
        return Cycle(f"{year} {_LETTER.get(self.months_per_cycle, 'C')}{number}", start, end)


def load_calendar(path: Path | None = None, project_dir: Path | None = None) -> CycleCalendar:
    """Read the calendar; the default (financial quarters) when the file is absent."""
    path = path or (Path(project_dir or ".") / CONFIG)
    if not path.exists():
        return CycleCalendar()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cycles = tuple(
        Cycle(str(c["name"]), _date(c["start"], path), _date(c["end"], path)) for c in data.get("cycles") or ()
    )
    return CycleCalendar(int(data.get("year_start_month", 4)), int(data.get("months_per_cycle", 3)),
                         tuple(sorted(cycles, key=lambda c: c.start)))


def _date(value, path: Path) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{path}: a cycle date must be YYYY-MM-DD") from None
