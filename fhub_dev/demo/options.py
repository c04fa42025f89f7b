"""The demo generator's command line, defined once: ``fhub demo`` (fhub/cli/pipeline.py) and
``python -m fhub_dev.demo`` both use it. Light on imports: the generator is imported when it runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fhub.settings import Paths

#: The scales of :data:`fhub_dev.demo.generate.SCALES` (tests/unit/test_demo.py keeps them equal).
SCALE_NAMES = ("tiny", "demo", "london", "national")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", default="demo", choices=SCALE_NAMES)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", help="incoming folder (default: $FHUB_DATA_DIR/incoming)")
    parser.add_argument("--boroughs", nargs="*", metavar="SLUG", help="borough slugs (default: all for the scale)")
    parser.add_argument("--years", type=int, help="academic years ending 2025/26 (default: per scale)")
    parser.add_argument("--config-dir", help="folder of borough mapping files (default: config/boroughs for "
                        "tiny/demo, <data>/config/boroughs-<scale> for london/national, rendered when missing)")
    parser.add_argument("--day", metavar="YYYY-MM-DD",
                        help="write one day of new contact files per borough (a nightly top-up)")
    parser.add_argument("--real-data-dir", help="real public files for calibration and real LSOAs (default: the "
                        "folder the nightly lands reference data from)")
    parser.add_argument("--no-real-data", action="store_true",
                        help="synthetic LSOAs and ~68%% GLD, ignore real files")
    parser.add_argument("--progress", action="store_true", help="print each step")
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)  # the default; kept for old scripts


def run(args: argparse.Namespace, paths: Paths) -> int:
    """Generate what ``args`` asks for into ``args.out`` (default ``paths.incoming``)."""
    from fhub.reference.folder import choose_from_settings
    from fhub_dev.demo.generate import generate, generate_day

    paths = paths.ensure()
    out = Path(args.out) if args.out else paths.incoming
    if args.no_real_data:
        real = None
    elif args.real_data_dir:
        real = Path(args.real_data_dir)
    else:  # the same reference folder the nightly will land from (calibration and real LSOAs; None = synthetic)
        real = choose_from_settings(paths).path
    options: dict = {"boroughs": args.boroughs, "years": args.years, "real_data_dir": real}
    if args.config_dir:
        options["config_dir"] = Path(args.config_dir)
    if args.progress:
        options["progress"] = lambda message: print(message, flush=True)
    try:
        if args.day:
            summary = generate_day(out, args.day, scale=args.scale, seed=args.seed, **options)
        else:
            summary = generate(out, scale=args.scale, seed=args.seed, **options)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary.describe())
    if summary.config_dir and Path(summary.config_dir) != paths.borough_config:
        print(
            f"mapping files for this scale: {summary.config_dir} (export FHUB_BOROUGH_CONFIG_DIR={summary.config_dir})"
        )
    return 0
