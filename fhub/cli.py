"""Command line: ``fhub <command>`` (installed by the project; ``make`` targets call it)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.settings import Paths, apply_offline_env


def _cmd_demo(args: argparse.Namespace) -> int:
    from fhub.demo import generate

    paths = Paths.from_env().ensure()
    out = Path(args.out) if args.out else paths.incoming
    options = {"boroughs": args.boroughs, "years": args.years}
    if args.config_dir:
        options["config_dir"] = Path(args.config_dir)
    if args.day:
        from fhub.demo import generate_day

        summary = generate_day(out, args.day, scale=args.scale, seed=args.seed, **options)
    else:
        summary = generate(out, scale=args.scale, seed=args.seed, **options)
    print(summary.describe())
    if summary.config_dir and Path(summary.config_dir) != paths.borough_config:
        print(
            f"mapping files for this scale: {summary.config_dir} (export FHUB_BOROUGH_CONFIG_DIR={summary.config_dir})"
        )
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from flows.nightly import nightly

    try:
        summary = nightly(mode=args.mode, full_refresh=args.full_refresh, build_reports=not args.no_reports)
    except Exception as exc:  # noqa: BLE001 - the summary file says what happened
        print(f"\nNIGHTLY RUN DID NOT PUBLISH: {exc}", file=sys.stderr)
        _print_paths()
        return 1
    print()
    print((Paths.from_env().reports / "run-summary.md").read_text())
    return 0 if summary.get("published") else 1


def _cmd_land(args: argparse.Namespace) -> int:
    from fhub.runinfo import new_run_id
    from flows.land import land

    summary = land(new_run_id(), args.mode, include_reference=not args.no_reference)
    print(summary["boroughs"]["summary"])
    if "reference" in summary:
        print(summary["reference"]["summary"])
    return 0


def _cmd_report(args: argparse.Namespace) -> int:  # noqa: ARG001
    from fhub.reporting import build_all_reports

    paths = Paths.from_env()
    for page in build_all_reports(paths, run_id=None):
        print(page)
    return 0


def _print_paths() -> None:
    paths = Paths.from_env()
    summary = paths.reports / "run-summary.md"
    if summary.exists():
        print(summary.read_text())
    else:
        print(f"published mart: {paths.published_db}")


def _cmd_paths(args: argparse.Namespace) -> int:  # noqa: ARG001
    paths = Paths.from_env()
    for name in (
        "incoming",
        "archive",
        "quarantine",
        "receipts",
        "work_db",
        "published_db",
        "exports",
        "reports",
    ):
        print(f"{name:14} {getattr(paths, name)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    apply_offline_env()
    sys.path.insert(0, str(Paths.from_env().project))  # flows/ and expectations/ live beside the package
    parser = argparse.ArgumentParser(prog="fhub", description="London family hubs common-outcomes pipeline")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="generate synthetic borough extracts (deterministic)")
    demo.add_argument("--scale", default="demo", choices=["tiny", "demo", "london", "national"])
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--out", help="incoming folder (default: $FHUB_DATA_DIR/incoming)")
    demo.add_argument("--boroughs", nargs="*", help="borough slugs (default: all for the scale)")
    demo.add_argument("--years", type=int, help="academic years to generate (default: per scale)")
    demo.add_argument("--config-dir", help="folder of borough mapping files")
    demo.add_argument("--day", help="write one day of new contact files per borough (YYYY-MM-DD)")
    demo.set_defaults(func=_cmd_demo)

    run = sub.add_parser("run", help="run the nightly flow once, now")
    run.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from scratch")
    run.add_argument("--no-reports", action="store_true")
    run.add_argument("--real-data-dir", help="folder of real published files (default ../shared/data/real)")
    run.set_defaults(func=_cmd_run)

    land = sub.add_parser(
        "land", help="land new borough extracts and reference files only (no dbt, no publish)"
    )
    land.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
    land.add_argument("--no-reference", action="store_true", help="skip the real published files")
    land.set_defaults(func=_cmd_land)

    report = sub.add_parser("report", help="build the performance-cycle HTML report from the published file")
    report.set_defaults(func=_cmd_report)

    paths = sub.add_parser("paths", help="print where everything is")
    paths.set_defaults(func=_cmd_paths)

    args = parser.parse_args(argv)
    if getattr(args, "real_data_dir", None):
        os.environ["FHUB_REAL_DATA_DIR"] = args.real_data_dir
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
