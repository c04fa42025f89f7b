"""``fhub`` subcommands: reference files from the publishers: fetch, status."""

from __future__ import annotations

import argparse
import os
import sys

from fhub.settings import Paths


def _cmd_reference(args: argparse.Namespace) -> int:
    from fhub.reference import fetch as ref

    if args.action == "status":
        return _reference_status(ref)
    return _reference_fetch(ref, args)


def _reference_status(ref) -> int:
    from fhub.reference.folder import choose_from_settings, fetched_reference_dir

    paths = Paths.from_env()
    folder = fetched_reference_dir(paths)
    rows = ref.reference_status(folder)
    print(f"reference folder {folder}")
    for r in rows:
        pin = f"pin {r.pin.sha256[:12]} ({r.pin.source})" if r.pin.sha256 else "no pin yet"
        print(f"  {r.state:9} {r.table:34} {pin:28} {r.path}")
        if r.pin.stale_local:
            print(f"  {'':9} {'':34} (pin accepted here earlier no longer applies: config changed)")
    print(f"this run would use: {choose_from_settings(paths).explanation}")
    return 0 if all(r.state == "verified" for r in rows if r.pin.sha256) else 1


def _reference_fetch(ref, args: argparse.Namespace) -> int:
    from fhub.reference.download import mirror_url, network_reachable
    from fhub.reference.folder import choose_from_settings, fetched_reference_dir
    from fhub.reference.pins import load_downloads

    paths = Paths.from_env()
    folder = fetched_reference_dir(paths)
    mirror = os.environ.get("FHUB_REFERENCE_MIRROR") or None
    downloads = load_downloads()
    if args.when_empty:  # `make run`: best effort, never fails the run
        if os.environ.get("FHUB_REAL_DATA_DIR"):
            print(
                f"reference: FHUB_REAL_DATA_DIR is set, nothing fetched ({os.environ['FHUB_REAL_DATA_DIR']})"
            )
            return 0
        present = sum((folder / d.path).is_file() for d in downloads)
        if present:
            print(
                f"reference: {present} of {len(downloads)} files already in {folder} (`fhub reference fetch` completes or refreshes them)"
            )
            return 0
        probe = mirror_url(downloads[0].urls[0].url, mirror)
        reachable, why = network_reachable(probe, timeout=min(args.timeout, 10.0))
        if not reachable:
            fallback = choose_from_settings(paths).explanation
            print(f"reference: not fetched, no network ({why}); {fallback}")
            return 0
    try:
        report = ref.fetch_references(
            folder,
            downloads=downloads,
            tables=args.tables,
            accept_new=args.accept_new or (),
            mirror=mirror,
            force=args.force,
            timeout=args.timeout,
            attempts=args.attempts,
            progress=lambda line: print(f"reference: {line}"),
        )
    except ValueError as exc:  # unknown table names, a bad mirror URL
        print(f"reference: {exc}", file=sys.stderr)
        return 2
    print(f"reference: {report.summary()}")
    waiting = report.by_status("unpinned", "changed_upstream")
    if waiting:
        print("reference: waiting for a decision: " + ", ".join(o.table for o in waiting) + " (see above)")
    return 0 if report.ok or args.when_empty else 1


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    reference = sub.add_parser(
        "reference", help="reference files from the publishers (DfE, OHID, MHCLG): fetch, verify, status"
    )
    reference_sub = reference.add_subparsers(dest="action", required=True)
    fetch = reference_sub.add_parser(
        "fetch",
        help="download every pinned reference file into $FHUB_DATA_DIR/reference (verified by size and sha256)",
        description="Download the reference files pinned in config/reference/downloads.yml into "
        "$FHUB_DATA_DIR/reference. FHUB_REFERENCE_MIRROR replaces the publishers' host (proxy/mirror); "
        "HTTPS_PROXY is honoured. A file that changed upstream is kept aside, never used, until --accept-new.",
    )
    fetch.add_argument("tables", nargs="*", help="only these files (ref table names; default: all)")
    fetch.add_argument(
        "--accept-new",
        nargs="+",
        metavar="TABLE",
        help="install these files although their bytes differ from the pin (or have none yet) and record the "
        "new hash in $FHUB_DATA_DIR/reference/pins.local.yml",
    )
    fetch.add_argument(
        "--force", action="store_true", help="download again even when the pinned file is in place"
    )
    fetch.add_argument(
        "--timeout", type=float, default=60.0, help="seconds without an answer or data (default 60)"
    )
    fetch.add_argument("--attempts", type=int, default=3, help="tries per URL on network errors (default 3)")
    fetch.add_argument(
        "--when-empty",
        action="store_true",
        help="only when the reference folder is empty, FHUB_REAL_DATA_DIR is unset and the network answers; "
        "never fails (what `make run` does)",
    )
    reference_sub.add_parser("status", help="each reference file in $FHUB_DATA_DIR/reference against its pin")
    reference.set_defaults(func=_cmd_reference)
