"""The PostgreSQL load benchmark: time ``fhub postgres publish`` against an existing run's published mart.

``python -m fhub_dev.bench.serving --data-dir DIR`` takes a data folder a nightly run has published (e.g. the
London benchmark's, ``$TMPDIR/fhub-bench/london``), starts (or reuses) the local cluster under
``DIR/postgres`` - or uses ``FHUB_POSTGRES_DSN`` - and loads the mart ``--repeat`` times (the first load
swaps out an empty database, later ones a full mart, as every night after the first). Each load is the
nightly's own code (:func:`fhub.serving.serve.load_into`). The row it appends to BENCHMARKS.md ("Serving")
gives the rows and file size loaded, the wall seconds (all of it, and the COPY and the swap alone), the
loader process's peak memory, and the database's size afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

from fhub.settings import PROJECT_DIR, Paths
from fhub_dev.bench import machine

MARKER = "<!-- fhub_dev.bench.serving: rows are appended below this line by `python -m fhub_dev.bench.serving` -->"
COLUMNS = (
    "date",
    "commit",
    "machine",
    "data",
    "published file MB",
    "tables",
    "rows",
    "load s (each)",
    "copy s",
    "swap s",
    "loader peak MB",
    "database MB",
)


def _append(benchmarks: Path, row: str) -> None:
    """Add ``row`` at the end of the serving table (created, with its heading, the first time)."""
    text = benchmarks.read_text(encoding="utf-8")
    if MARKER not in text:
        text = text.rstrip("\n") + (
            "\n\n## Serving (PostgreSQL load)\n\n"
            "Rows are appended by `python -m fhub_dev.bench.serving --data-dir <a published run's data folder>`: the "
            "nightly's load of the published mart (public relations + restricted figures) into PostgreSQL, "
            "repeated; times are wall seconds per load.\n\n"
            f"{MARKER}\n\n| " + " | ".join(COLUMNS) + " |\n|" + "|".join("---" for _ in COLUMNS) + "|\n"
        )
    lines = text.rstrip("\n").split("\n")
    at = lines.index(MARKER) + 1
    while at < len(lines) and (not lines[at].strip() or not lines[at].startswith("|")):
        at += 1  # the blank line after the marker
    while at < len(lines) and lines[at].startswith("|"):
        at += 1  # past the table's last row
    lines.insert(at, row)
    benchmarks.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhub_dev.bench.serving", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="a data folder with a published mart")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--label", default="", help="what data this is (e.g. london), for the table")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--benchmarks-file", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")
    args = parser.parse_args(argv)

    import psycopg

    from fhub.serving.config import default_config_path, load_serving_config
    from fhub.serving.passwords import passwords_from_environment
    from fhub.serving.serve import load_into, local_cluster, resolve_target

    paths = Paths(project=PROJECT_DIR, data=args.data_dir.resolve())
    config = load_serving_config(default_config_path(PROJECT_DIR))
    dsn = os.environ.get("FHUB_POSTGRES_DSN")
    if not dsn:
        local_cluster(paths).up(database=config.database, loader=config.loader)
    target = resolve_target(paths, env_dsn=dsn, env_passwords=passwords_from_environment(os.environ))
    assert target is not None
    loads = []
    for number in range(1, args.repeat + 1):
        started = time.monotonic()
        result, _ = load_into(target, paths, config)
        loads.append((time.monotonic() - started, result))
        print(f"load {number}: {result.summary()}", flush=True)
    with psycopg.connect(target.dsn) as con:
        db_mb = con.execute("select pg_database_size(current_database())").fetchone()[0] / 1024**2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    last = loads[-1][1]
    row = (
        "| "
        + " | ".join(
            [
                dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
                machine.git_commit(PROJECT_DIR),
                f"{machine.describe()}; load {os.getloadavg()[0]:.1f}",
                args.label or paths.data.name,
                f"{paths.published_db.stat().st_size / 1024**2:,.0f}",
                str(len(last.tables)),
                f"{last.rows:,}",
                " / ".join(f"{seconds:.1f}" for seconds, _ in loads),
                " / ".join(f"{r.copy_seconds:.1f}" for _, r in loads),
                " / ".join(f"{r.swap_seconds:.2f}" for _, r in loads),
                f"{peak_mb:,.0f}",
                f"{db_mb:,.0f}",
            ]
        )
        + " |"
    )
    print(row)
    if not args.no_append:
        _append(args.benchmarks_file, row)
        print(f"appended to {args.benchmarks_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
