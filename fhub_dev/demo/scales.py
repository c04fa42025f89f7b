"""The demo's scales (how many authorities, years and children) and what a generation wrote
(:class:`GenerationSummary`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fhub.contracts import CONTRACTS

LAST_ACADEMIC_YEAR = 2025  # 2025/26


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    births: tuple[int, int]
    contacts_per_year: float = 4.5


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 2, (50, 50)),
    "demo": Scale("demo", 3, (150, 300)),
    "london": Scale("london", 5, (2400, 3900), contacts_per_year=7.8),
    "national": Scale("national", 3, (800, 3500)),
}


@dataclass
class GenerationSummary:
    out_dir: Path
    config_dir: Path
    scale: str
    seed: int
    academic_years: list[str]
    files: list[Path] = field(default_factory=list)
    #: rows written per borough slug and extract
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    #: achieved GLD rate (complete profiles) and its calibration target, per borough slug and year
    gld: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    #: the period each file covers (its arrival date follows from it: fhub/demo/arrivals.py)
    periods: dict[Path, str] = field(default_factory=dict)
    #: pupils left out of the deliberately incomplete EYFSP file (fhub/demo/incomplete.py), per slug and year
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def total(self, extract: str) -> int:
        return sum(by_extract.get(extract, 0) for by_extract in self.rows.values())

    def describe(self) -> str:
        lines = [
            f"{len(self.files)} files for {len(self.rows)} boroughs in {self.out_dir} "
            f"(scale {self.scale}, seed {self.seed}, {', '.join(self.academic_years)}; "
            f"mappings in {self.config_dir}; {self.seconds:.1f}s)"
        ]
        lines.append("  " + ", ".join(f"{e} {self.total(e):,}" for e in CONTRACTS))
        return "\n".join(lines)
