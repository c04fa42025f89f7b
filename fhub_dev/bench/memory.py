"""Peak memory of a whole process tree, sampled in a background thread.

DuckDB, dbt, Great Expectations and Prefect's temporary API server all run in the nightly process or in its
children, so the figure that matters for "will this fit on the machine" is the *sum* of the resident set
sizes of the process and every descendant at the same instant. :class:`TreeMemorySampler` takes that sum
every ``interval`` seconds (100 ms by default) and keeps the maximum.

RSS counts shared pages once per process, so the sum slightly over-states memory when processes share
libraries; that errs on the safe side for a memory budget.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psutil


def tree_rss(root: psutil.Process) -> int:
    """Resident bytes of ``root`` plus all its live descendants (processes that vanish mid-scan are skipped)."""
    total = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total


@dataclass
class MemoryPeak:
    peak_bytes: int = 0
    samples: int = 0
    #: seconds after sampling started at which the peak was seen (to tell which stage it belongs to)
    peak_at: float | None = None

    @property
    def peak_gb(self) -> float:
        return self.peak_bytes / 1024**3


class TreeMemorySampler:
    """``with TreeMemorySampler(pid) as s: ...`` then ``s.result.peak_bytes``."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.result = MemoryPeak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory-sampler", daemon=True)
        self._started = time.monotonic()

    def sample_once(self) -> int:
        rss = tree_rss(self.process)
        self.result.samples += 1
        if rss > self.result.peak_bytes:
            self.result.peak_bytes = rss
            self.result.peak_at = time.monotonic() - self._started
        return rss

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample_once()
            self._stop.wait(self.interval)

    def start(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def stop(self) -> MemoryPeak:
        self._stop.set()
        self._thread.join(timeout=5)
        return self.result

    def __enter__(self) -> TreeMemorySampler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_sampled(proc, interval: float = 0.1) -> tuple[int, MemoryPeak]:
    """Wait for a ``subprocess.Popen`` while sampling its tree; returns (exit code, peak)."""
    sampler = TreeMemorySampler(proc.pid, interval).start()
    try:
        while proc.poll() is None:
            time.sleep(interval)
    finally:
        peak = sampler.stop()
    return proc.returncode, peak
