"""Profile one nightly stage with cProfile, calling the stage's functions as the flow does (no Prefect).

    FHUB_DATA_DIR=/tmp/fhub-bench/london python -m fhub_dev.bench.profile land      # land_all + land_reference
    FHUB_DATA_DIR=... python -m fhub_dev.bench.profile dbt [--full-refresh]             # fhub.dbt.runner.run_dbt
    FHUB_DATA_DIR=... python -m fhub_dev.bench.profile validate                          # GX checkpoint

Prints the stage's wall time and the functions with the most cumulative and own time; writes the raw
profile to ``<data>/bench-logs/profile-<stage>.pstats`` (open with ``python -m pstats``). Use it on a data
folder the benchmark left behind (for ``land``: remove ``work/`` and ``archive/`` first, or it skips the
already-landed files).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

from fhub.settings import Paths, apply_offline_env


def _land(paths: Paths, run_id: str, args: argparse.Namespace) -> None:  # noqa: ARG001
    from fhub.landing import land_all
    from fhub.pseudonymise import resolve_key
    from fhub.reference import land_reference
    from fhub.reference.folder import choose_from_settings

    key, label = resolve_key("demo", env=os.environ)
    land_all(paths, run_id, key, key_label=label, progress=None)
    if not args.no_reference:
        folder = choose_from_settings(paths)
        land_reference(
            paths, run_id, real_dir=folder.path, pins=folder.pins, absent_reason=folder.explanation
        )


def _dbt(paths: Paths, run_id: str, args: argparse.Namespace) -> None:
    from fhub.dbt.runner import run_dbt

    run_dbt(paths, "build", args=["--full-refresh"] if args.full_refresh else [], run_id=run_id)


def _validate(paths: Paths, run_id: str, args: argparse.Namespace) -> None:  # noqa: ARG001
    from fhub.quality.gx_runner import run_checkpoint

    run_checkpoint(paths)


STAGES = {"land": _land, "dbt": _dbt, "validate": _validate}


def main(argv: list[str] | None = None) -> int:
    apply_offline_env()
    parser = argparse.ArgumentParser(prog="python -m fhub_dev.bench.profile")
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--full-refresh", action="store_true")
    parser.add_argument("--no-reference", action="store_true", help="land: borough extracts only")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    paths = Paths.from_env().ensure()
    run_id = f"profile-{args.stage}-{int(time.time())}"
    profiler = cProfile.Profile()
    started = time.monotonic()
    profiler.enable()
    try:
        STAGES[args.stage](paths, run_id, args)
    finally:
        profiler.disable()
        seconds = time.monotonic() - started
        out = paths.data / "bench-logs" / f"profile-{args.stage}.pstats"
        out.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(out)
        for order in ("cumulative", "tottime"):
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats(order).print_stats(args.top)
            print(f"--- {args.stage}: top {args.top} by {order} ---")
            print(buffer.getvalue())
        print(f"{args.stage}: {seconds:.1f} s wall; profile in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
