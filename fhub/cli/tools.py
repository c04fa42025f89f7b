"""``fhub`` subcommands: the framework seeds (``framework load|export|check``) and the benchmark (``bench``, a dev
tool in fhub_dev/bench; its options are its own, passed through)."""

from __future__ import annotations

import argparse


def _cmd_framework(args: argparse.Namespace) -> int:
    from fhub.framework import run

    return run(args)


def bench(argv: list[str]) -> int:
    """``fhub bench ...``: fhub_dev.bench with its own options (``fhub bench --help``)."""
    from fhub_dev.bench.cli import main as bench_main

    return bench_main(argv)


def _cmd_bench(args: argparse.Namespace) -> int:
    return bench(args.bench_args)


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    from fhub.framework import add_arguments as add_framework_arguments

    framework = sub.add_parser("framework", help="the outcomes framework as data: load a workbook into the "
                               "seeds, export the seeds as a workbook, check them")
    add_framework_arguments(framework)
    framework.set_defaults(func=_cmd_framework)

    bench = sub.add_parser("bench", add_help=False, help="the benchmark (dev tool; BENCHMARKS.md): "
                           "fhub bench --help for its options")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER)
    bench.set_defaults(func=_cmd_bench)
