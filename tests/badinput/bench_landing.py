"""Benchmark (not a test): land a generated contacts CSV of N rows and print rows/s.

    .venv/bin/python -m tests.badinput.bench_landing 1000000
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from fhub.landing import land_file
from tests.badinput.fixtures import KEY, TODAY, good_row, setup


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="fhub-bench-"))
    paths, config = setup(tmp)
    f = paths.incoming / "hackney" / "hackney_contacts_2024-05.csv"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(",".join(["ContactRef", "ClientID", "FamilyID", "HubCode", "Venue", "Service", "Model", "Partner",
                           "ContactDate", "Attended"]) + "\n")
        for i in range(1, n + 1):
            r = good_row(i)
            r[1] = f"P{i % 200_000:06d}"
            fh.write(",".join(r) + "\n")
    size_mb = f.stat().st_size / 1e6
    t0 = time.perf_counter()
    try:
        o = land_file(paths, f, "bench", KEY, key_label="demo", config_dir=config, hubs_csv=tmp / "hubs.csv",
                      today=TODAY)
        dt = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{o.rows_delivered:,} rows ({size_mb:.0f} MB): landed {o.rows_landed:,}, rejected "
          f"{o.rows_rejected:,} in {dt:.1f} s = {o.rows_delivered / dt:,.0f} rows/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
