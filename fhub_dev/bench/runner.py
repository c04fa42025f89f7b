"""Run a command as a child process: wall time, peak memory of its process tree, time-stamped output lines."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fhub_dev.bench.memory import MemoryPeak, TreeMemorySampler


@dataclass
class ChildRun:
    label: str
    argv: list[str]
    returncode: int
    seconds: float
    memory: MemoryPeak
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, text)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, n: int = 30) -> str:
        return "\n".join(text for _, text in self.lines[-n:])


def run_child(
    label: str,
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path | None = None,
    echo: bool = True,
    interval: float = 0.1,
) -> ChildRun:
    """Run ``argv``; stdout and stderr are merged, stamped on arrival, tee'd to ``log_path`` (and echoed)."""
    child_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    lines: list[tuple[float, str]] = []
    log = open(log_path, "w", encoding="utf-8") if log_path else None  # noqa: SIM115 - closed below
    start = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=child_env,
        cwd=cwd,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
    )
    sampler = TreeMemorySampler(proc.pid, interval).start()

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            stamp = time.monotonic() - start
            text = raw.rstrip("\n")
            lines.append((stamp, text))
            if log:
                log.write(f"{stamp:9.3f} {text}\n")
            if echo:
                sys.stdout.write(f"  [{label} {stamp:7.1f}s] {text}\n")
                sys.stdout.flush()

    reader = threading.Thread(target=pump, name=f"pump-{label}", daemon=True)
    reader.start()
    try:
        returncode = proc.wait()
    finally:
        seconds = time.monotonic() - start
        memory = sampler.stop()
        reader.join(timeout=10)
        if log:
            log.close()
    return ChildRun(label, list(argv), returncode, seconds, memory, lines)
