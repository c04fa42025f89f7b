"""One benchmark run's figures and the targets from issue 7 they are judged against."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Targets (2 cores, 24 GB). London: full <= 1.5 x DuckDB-only + 30 s and < 5 min, peak <= 4 GB,
#: incremental night <= 10 % of the full run. National: full <= 15 min, peak <= 12 GB.
LIMIT_FACTOR = 1.5
FIXED_OVERHEAD_S = 30.0
TARGETS: dict[str, dict[str, float]] = {
    "london": {"full_max_s": 300.0, "peak_max_gb": 4.0, "incremental_max_pct": 10.0},
    "national": {"full_max_s": 900.0, "peak_max_gb": 12.0},
}


@dataclass
class BenchResult:
    date: str
    commit: str
    machine: str
    scale: str
    contacts: int | None = None
    eyfsp_pupils: int | None = None
    generate_s: float | None = None
    stages: dict[str, float | None] = field(default_factory=dict)  # land, dbt, validate, publish, reports
    overhead_s: float | None = None  # process start-up (Prefect server, imports) + shut-down
    full_s: float | None = None  # the real `fhub run` process, end to end
    peak_gb: float | None = None  # whole process tree
    peak_stage: str | None = None  # the stage during which the tree peaked
    work_db_gb: float | None = None
    published_db_gb: float | None = None
    limit_landing_s: float | None = None  # plain DuckDB read_csv of the same CSV files
    limit_models_s: float | None = None  # compiled model SQL run directly in DuckDB
    incremental_s: float | None = None
    incremental_peak_gb: float | None = None
    full_refresh_s: float | None = None
    load_avg: tuple[float, float] | None = None  # 1-min load average at the start and the end of the run
    notes: list[str] = field(default_factory=list)

    @property
    def limit_s(self) -> float | None:
        if self.limit_models_s is None:
            return None
        return self.limit_models_s + (self.limit_landing_s or 0.0)

    @property
    def ratio(self) -> float | None:
        if self.full_s is None or not self.limit_s:
            return None
        return self.full_s / self.limit_s

    @property
    def incremental_pct(self) -> float | None:
        if self.incremental_s is None or not self.full_s:
            return None
        return 100.0 * self.incremental_s / self.full_s

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(limit_s=self.limit_s, ratio=self.ratio, incremental_pct=self.incremental_pct)
        return data


@dataclass(frozen=True)
class Verdict:
    target: str
    met: bool | None  # None: not measured in this run
    detail: str

    def text(self) -> str:
        word = {True: "MET", False: "MISSED", None: "not measured"}[self.met]
        return f"{self.target}: {word} ({self.detail})"


def verdicts(result: BenchResult) -> list[Verdict]:
    """Judge a run against the issue's targets for its scale (none for tiny/demo)."""
    targets = TARGETS.get(result.scale)
    if not targets:
        return []
    out: list[Verdict] = []
    full, peak = result.full_s, result.peak_gb
    if result.scale == "london":
        if full is None or result.limit_s is None:
            out.append(Verdict("full <= 1.5x limit + 30 s", None, "no limit figure"))
        else:
            allowed = LIMIT_FACTOR * result.limit_s + FIXED_OVERHEAD_S
            out.append(
                Verdict("full <= 1.5x limit + 30 s", full <= allowed, f"{full:.0f} s vs {allowed:.0f} s")
            )
    max_s = targets["full_max_s"]
    out.append(
        Verdict(
            f"full < {max_s / 60:.0f} min",
            None if full is None else full < max_s,
            "not run" if full is None else f"{full:.0f} s",
        )
    )
    max_gb = targets["peak_max_gb"]
    out.append(
        Verdict(
            f"peak <= {max_gb:.0f} GB",
            None if peak is None else peak <= max_gb,
            "not sampled" if peak is None
            else f"{peak:.2f} GB" + (f", during {result.peak_stage}" if result.peak_stage else ""),
        )
    )
    if "incremental_max_pct" in targets:
        pct = result.incremental_pct
        out.append(
            Verdict(
                "incremental <= 10% of full",
                None if pct is None else pct <= targets["incremental_max_pct"],
                "not run" if pct is None else f"{pct:.0f} %",
            )
        )
    return out
