"""``python -m fhub_dev.demo --out <incoming dir> --seed 42 --scale {tiny,demo,london,national}``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhub.settings import Paths
from fhub_dev.demo.generate import SCALES, generate, generate_day


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m fhub_dev.demo",
        description="Write deterministic synthetic borough deliveries (incoming/<slug>/<file>) in each "
        "borough's export dialect.",
    )
    p.add_argument(
        "--out", type=Path, default=None, help="incoming folder (default: $FHUB_DATA_DIR/incoming)"
    )
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--scale", choices=list(SCALES), default="demo")
    p.add_argument("--boroughs", nargs="+", metavar="SLUG", help="borough slugs (default: the scale's list)")
    p.add_argument(
        "--years", type=int, default=None, help="academic years ending 2025/26 (default per scale)"
    )
    p.add_argument(
        "--config-dir",
        type=Path,
        default=None,
        help="mapping files folder (default: config/boroughs for tiny/demo, "
        "<data>/config/boroughs-<scale> for london/national, rendered when missing)",
    )
    p.add_argument(
        "--day",
        default=None,
        metavar="YYYY-MM-DD",
        help="write only one day of new contact files per borough (a nightly top-up)",
    )
    p.add_argument(
        "--real-data-dir",
        type=Path,
        default=None,
        help="real public files (default: $FHUB_REAL_DATA_DIR or ../shared/data/real)",
    )
    p.add_argument(
        "--no-real-data", action="store_true", help="synthetic LSOAs and ~68%% GLD, ignore real files"
    )
    p.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = args.out or Paths.from_env().incoming
    kwargs: dict = {"boroughs": args.boroughs, "years": args.years, "config_dir": args.config_dir}
    if args.no_real_data:
        kwargs["real_data_dir"] = None
    elif args.real_data_dir is not None:
        kwargs["real_data_dir"] = args.real_data_dir
    if not args.quiet:
        kwargs["progress"] = lambda msg: print(msg, flush=True)
    try:
        if args.day:
            summary = generate_day(out, args.day, args.scale, args.seed, **kwargs)
        else:
            summary = generate(out, args.scale, args.seed, **kwargs)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
