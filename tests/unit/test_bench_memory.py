"""The process-tree memory sampler sees memory allocated by a grandchild, not just the direct child."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from fhub_dev.bench.memory import TreeMemorySampler, tree_rss
from fhub_dev.bench.runner import run_child

ALLOC_MB = 300

# The direct child starts a grandchild that allocates ALLOC_MB (touched, so resident), holds it, then exits.
GRANDCHILD = textwrap.dedent(
    f"""
    import time
    block = bytearray({ALLOC_MB} * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    print("allocated", flush=True)
    time.sleep(1.0)
    """
)
PARENT = textwrap.dedent(
    f"""
    import subprocess, sys
    subprocess.run([sys.executable, "-c", {GRANDCHILD!r}], check=True)
    """
)


def test_tree_peak_includes_grandchild_allocation():
    run = run_child("alloc", [sys.executable, "-c", PARENT], echo=False, interval=0.05)
    assert run.ok
    assert any(text == "allocated" for _, text in run.lines)
    peak_mb = run.memory.peak_bytes / 1024**2
    # two interpreters (~10-40 MB each) plus the 300 MB block; a sampler that only saw the direct child
    # would report well under 100 MB
    assert ALLOC_MB < peak_mb < ALLOC_MB + 250
    assert run.memory.samples >= 5


def test_sampler_stops_and_keeps_maximum():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.5)"])
    try:
        with TreeMemorySampler(proc.pid, interval=0.05) as sampler:
            proc.wait()
        first = sampler.result.peak_bytes
        assert first > 0
        assert sampler.result.samples >= 2
        sampler.sample_once()  # the process is gone: a sample of 0 does not lower the peak
        assert sampler.result.peak_bytes == first
    finally:
        proc.kill()


def test_tree_rss_of_a_vanished_process_is_zero():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    import psutil

    handle = psutil.Process(proc.pid)
    proc.wait()
    assert tree_rss(handle) == 0
