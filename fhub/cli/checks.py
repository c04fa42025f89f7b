"""``fhub`` subcommands: the pre-send check and its local page."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.cli.common import MODES, default_mode
from fhub.settings import Paths


def _cmd_check(args: argparse.Namespace) -> int:
    from fhub.check import CheckError, check_files

    paths = Paths.from_env()
    try:
        result = check_files(paths, args.borough, [Path(f) for f in args.files], mode=args.mode,
                             history=not args.no_history, config_dir=args.config_dir, env=os.environ)
    except CheckError as exc:
        print(f"fhub check: {exc}", file=sys.stderr)
        return 2
    print(result.report_text())
    if args.receipt_csv and result.receipt_csv:
        Path(args.receipt_csv).write_text(result.receipt_csv, encoding="utf-8")
        print(f"Every problem row: {args.receipt_csv}")
    return result.exit_code


def _cmd_check_server(args: argparse.Namespace) -> int:
    from fhub.check.server import serve

    serve(Paths.from_env(), port=args.port, max_upload_mb=args.max_upload_mb, mode=args.mode,
          history=not args.no_history, env=os.environ)
    return 0


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    check = sub.add_parser(
        "check", help="pre-send check: would tonight's landing take these files? (nothing is stored)",
        description="Land the files into a throw-away folder exactly as the nightly would and print the "
        "receipt. Exit code: 0 would land cleanly, 1 would land with rejected rows or warnings, 2 would not "
        "land (quarantined or held), 3 the check itself could not run.",
    )
    check.add_argument("--borough", required=True, help="borough slug, as in config/boroughs/<slug>.yml")
    check.add_argument("files", nargs="+", metavar="FILE", help="the files as they would be delivered")
    check.add_argument("--no-history", action="store_true",
                       help="do not compare with the warehouse's earlier deliveries for the borough")
    check.add_argument("--receipt-csv", help="also write every problem row to this CSV file")
    check.add_argument("--config-dir", help="folder of borough mapping files (default: the nightly's)")
    check.add_argument("--mode", choices=MODES, default=default_mode())
    check.set_defaults(func=_cmd_check)

    server = sub.add_parser("check-server", help="a local page (127.0.0.1 only) for the pre-send check")
    server.add_argument("--port", type=int, default=int(os.environ.get("FHUB_CHECK_PORT", 8765)))
    server.add_argument("--max-upload-mb", type=float, default=float(os.environ.get("FHUB_CHECK_MAX_MB", 100)),
                        help="largest upload accepted, in MB (default 100)")
    server.add_argument("--no-history", action="store_true",
                        help="do not compare with the warehouse's earlier deliveries")
    server.add_argument("--mode", choices=MODES, default=default_mode())
    server.set_defaults(func=_cmd_check_server)
