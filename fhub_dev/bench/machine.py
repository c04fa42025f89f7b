"""Describe the machine a benchmark ran on, from /proc (Linux) with portable fall-backs."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from fhub.runinfo import code_version


def cpu_model(cpuinfo: str | None = None) -> str:
    text = cpuinfo if cpuinfo is not None else _read("/proc/cpuinfo")
    for line in text.splitlines():
        if line.lower().startswith("model name"):
            return " ".join(line.split(":", 1)[1].split())
    return platform.processor() or platform.machine() or "unknown CPU"


def ram_gb(meminfo: str | None = None) -> float | None:
    text = meminfo if meminfo is not None else _read("/proc/meminfo")
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2  # kB -> GiB
    return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def describe() -> str:
    ram = ram_gb()
    ram_text = f"{ram:.0f} GB" if ram is not None else "? GB"
    return f"{cpu_model()}, {cores()} cores, {ram_text}"


def git_commit(project: Path) -> str:
    """Short commit of ``project`` (``-dirty`` with uncommitted changes); ``FHUB_BENCH_COMMIT`` names the
    commit of a source snapshot without ``.git`` (``git archive``)."""
    # the benchmark appends to BENCHMARKS.md itself: an earlier row there does not make the code dirty
    return os.environ.get("FHUB_BENCH_COMMIT") or code_version(project, ignore=("BENCHMARKS.md",))


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""
