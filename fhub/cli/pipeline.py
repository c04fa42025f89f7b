"""``fhub`` subcommands: the pipeline: demo data, a night (`run`), landing only, confirming a held resubmission, the report, where things are."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.cli.common import MODES, default_mode
from fhub.settings import Paths


def _cmd_demo(args: argparse.Namespace) -> int:
    from fhub_dev.demo.options import run

    return run(args, Paths.from_env())


def _cmd_run(args: argparse.Namespace) -> int:
    from flows.nightly import nightly

    try:
        summary = nightly(mode=args.mode, full_refresh=args.full_refresh, build_reports=not args.no_reports,
                          real_data_dir=args.real_data_dir)
    except Exception as exc:  # noqa: BLE001 - the summary file says what happened
        print(f"\nNIGHTLY RUN DID NOT PUBLISH: {exc}", file=sys.stderr)
        _print_paths()
        return 1
    print()
    print((Paths.from_env().reports / "run-summary.md").read_text())
    return 0 if summary.get("published") else 1


def _cmd_land(args: argparse.Namespace) -> int:
    from fhub.runinfo import resolve_run_context
    from flows.land import land

    ctx = resolve_run_context(os.environ, paths=Paths.from_env(os.environ), mode=args.mode)
    summary = land(ctx, include_reference=not args.no_reference)
    print(summary["boroughs"]["summary"])
    if "reference" in summary:
        print(summary["reference"]["summary"])
    return 0


def _cmd_confirm(args: argparse.Namespace) -> int:
    from fhub.landing.confirm import NotConfirmable, confirm_delivery
    from fhub.runinfo import new_run_id

    try:
        done = confirm_delivery(Paths.from_env(), args.delivery_id, new_run_id())
    except NotConfirmable as exc:
        print(exc, file=sys.stderr)
        return 1
    print(done.message)
    print("The next nightly run publishes with it.")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """The performance-cycle report from the published file: by default the nightly's own step (pages, PDFs,
    offline Data Docs) on this data folder; ``--published``/``--out`` build the pages from another file."""
    from fhub.report.nightly import build_all_reports, build_pages

    paths = Paths.from_env()
    try:
        if args.published is None and args.out is None and args.summary is None:
            written = build_all_reports(paths, run_id=None, pdfs=not args.no_pdf)
        else:
            written = build_pages(args.published or paths.published_db, args.out or paths.reports / "performance",
                                  run_summary=args.summary, pdfs=not args.no_pdf)
    except (FileNotFoundError, ValueError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    for page in written:
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


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    from fhub_dev.demo.options import add_arguments as add_demo_arguments

    demo = sub.add_parser("demo", help="generate synthetic borough extracts (deterministic; a dev tool: fhub_dev)")
    add_demo_arguments(demo)
    demo.set_defaults(func=_cmd_demo)

    run = sub.add_parser("run", help="run the nightly flow once, now")
    run.add_argument("--mode", choices=MODES, default=default_mode())
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from scratch")
    run.add_argument("--no-reports", action="store_true")
    run.add_argument("--real-data-dir", help="folder of real published files (default ../shared/data/real)")
    run.set_defaults(func=_cmd_run)

    land = sub.add_parser(
        "land", help="land new borough extracts and reference files only (no dbt, no publish)"
    )
    land.add_argument("--mode", choices=MODES, default=default_mode())
    land.add_argument("--no-reference", action="store_true", help="skip the real published files")
    land.set_defaults(func=_cmd_land)

    confirm = sub.add_parser(
        "confirm", help="confirm a held resubmission (the borough says the smaller file is right)"
    )
    confirm.add_argument("delivery_id", help="the delivery id from the receipt (at least its first 12 characters)")
    confirm.set_defaults(func=_cmd_confirm)

    report = sub.add_parser("report", help="build the performance-cycle HTML report (and its PDFs) from the published file")
    report.add_argument("--published", type=Path, default=None,
                        help="published DuckDB file, opened read-only (default: this data folder's)")
    report.add_argument("--out", type=Path, default=None, help="output folder (default: <data>/reports/performance)")
    report.add_argument("--summary", default=None, help="one-line run summary; 'published: NO' adds the warning line")
    report.add_argument("--no-pdf", action="store_true", help="write the HTML pages only (no Chromium)")
    report.set_defaults(func=_cmd_report)

    paths = sub.add_parser("paths", help="print where everything is")
    paths.set_defaults(func=_cmd_paths)
