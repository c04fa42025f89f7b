"""A very large delivery is streamed, never loaded whole into memory: a ~200 MB contacts CSV is landed in a
child process whose peak RSS must stay well below the file size (< 60% of it + a fixed 480 MB allowance for
Python, DuckDB, pyarrow and cryptography themselves: measured 514-558 MB for a 210 MB file on the 2-core CI
machine type; reading the file whole would add at least its size again). The landing memory is bounded by the DuckDB memory limit
(``FHUB_DUCKDB_MEMORY_LIMIT``), not by the size of what a borough sends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.badinput.fixtures import HEADERS, setup

ROOT = Path(__file__).resolve().parents[2]
TARGET_BYTES = 200 * 1024 * 1024

CHILD = r"""
import json, resource, sys
from pathlib import Path
from fhub.landing import land_file
from tests.badinput.fixtures import KEY, TODAY
from fhub.settings import Paths
tmp = Path(sys.argv[1])
paths = Paths(project=tmp / "project", data=tmp / "data")
f = paths.incoming / "hackney" / "hackney_contacts_2024-05.csv"
o = land_file(paths, f, "big", KEY, key_label="demo", config_dir=tmp / "config", hubs_csv=tmp / "hubs.csv",
              today=TODAY)
print(json.dumps({"status": o.status, "reason": o.reason, "delivered": o.rows_delivered, "landed": o.rows_landed,
                  "rejected": o.rows_rejected,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def _write_big(path: Path) -> int:
    """Rows with a 400-character partner text (mapped, validated, landed) and a 1,000-character Notes column
    (parsed, ignored), written in 1 MB blocks. Returns the number of data rows."""
    partner = ("Community partner programme " * 15)[:400]
    notes = ("Worker notes about the session; nothing personal. " * 20)[:1000]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join([*HEADERS, "Notes"]) + "\n")
        size = 0
        while size < TARGET_BYTES:
            block = []
            for _ in range(500):
                n += 1
                block.append(f"C{n:08d},P{n % 40_000:05d},F{n % 9_000:04d},HAC-H01,hub,{'IF' if n % 2 else 'SP'},"
                             f"direct,{partner},{1 + n % 28:02d}/05/2024,Y,{notes}\n")
            text = "".join(block)
            fh.write(text)
            size += len(text)
    return n


def test_very_large_file_is_streamed(tmp_path: Path) -> None:
    paths, config = setup(tmp_path)
    f = paths.incoming / "hackney" / "hackney_contacts_2024-05.csv"
    n = _write_big(f)
    size = f.stat().st_size
    env = {**os.environ, "FHUB_DUCKDB_MEMORY_LIMIT": "160MB", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["status"] == "landed", got["reason"]
    assert (got["delivered"], got["landed"], got["rejected"]) == (n, n, 0)
    assert got["peak_rss"] < 0.6 * size + 480 * 1024 * 1024, (got["peak_rss"] / 1e6, size / 1e6)
