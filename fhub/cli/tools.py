"""``fhub`` subcommands: the framework seeds (``framework load|export|check``) and the benchmark (``bench``, a dev
tool in fhub_dev/bench; its options are its own, passed through)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_framework_arguments(parser: argparse.ArgumentParser) -> None:
    """``fhub framework load|export|check``."""
    from fhub.framework import SEEDS_DIR

    sub = parser.add_subparsers(dest="framework_command", required=True)
    load = sub.add_parser("load", help="validate a workbook and write it over the framework seeds")
    load.add_argument("workbook", type=Path)
    load.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    load.add_argument("--check", action="store_true", help="validate only; write nothing")
    export = sub.add_parser("export", help="write the current framework seeds as a workbook")
    export.add_argument("workbook", type=Path)
    export.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    check = sub.add_parser("check", help="validate the framework seeds")
    check.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)


def _cmd_framework(args: argparse.Namespace) -> int:
    from fhub.framework import FrameworkError, check_seeds, export_workbook, load_workbook, write_seeds

    try:
        if args.framework_command == "load":
            tables = load_workbook(args.workbook)
            if args.check:
                print(f"{args.workbook}: valid ({len(tables['framework_metrics'])} metrics)")
            else:
                for target in write_seeds(tables, args.seeds_dir):
                    print(f"wrote {target}")
        elif args.framework_command == "export":
            print(f"wrote {export_workbook(args.workbook, args.seeds_dir)}")
        else:
            tables = check_seeds(args.seeds_dir)
            print(f"{args.seeds_dir}: valid ({len(tables['framework_metrics'])} metrics)")
    except FrameworkError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def bench(argv: list[str]) -> int:
    """``fhub bench ...``: fhub_dev.bench with its own options (``fhub bench --help``)."""
    from fhub_dev.bench.cli import main as bench_main

    return bench_main(argv)


def _cmd_bench(args: argparse.Namespace) -> int:
    return bench(args.bench_args)


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    framework = sub.add_parser("framework", help="the outcomes framework as data: load a workbook into the "
                               "seeds, export the seeds as a workbook, check them")
    _add_framework_arguments(framework)
    framework.set_defaults(func=_cmd_framework)

    bench = sub.add_parser("bench", add_help=False, help="the benchmark (dev tool; BENCHMARKS.md): "
                           "fhub bench --help for its options")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=_cmd_bench)
