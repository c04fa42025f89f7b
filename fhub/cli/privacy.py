"""``fhub`` subcommands: privacy: opening an original, erasure, the artefact scan."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.cli.common import MODES, default_mode
from fhub.settings import Paths


def _cmd_archive_open(args: argparse.Namespace) -> int:
    from fhub.landing import open_work_db
    from fhub.privacy.originals import open_original
    from fhub.privacy.vault import OriginalUnreadable, resolve_originals_key
    from fhub.pseudonymise import MissingKeyError

    paths = Paths.from_env()
    dest = Path(args.to)
    if dest.exists():
        print(f"{dest} already exists: choose a new path (an opened original is never written over a file).",
              file=sys.stderr)
        return 2
    try:
        key = resolve_originals_key(args.mode, env=os.environ, use_prefect=True)
        con = open_work_db(paths)
    except MissingKeyError as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a locked work file: the nightly is running
        print(f"The work file cannot be opened now ({type(exc).__name__}); if the nightly is running, try again "
              "when it has finished.", file=sys.stderr)
        return 2
    try:
        found = open_original(paths, con, args.delivery_id, dest, key, purpose=args.purpose or "")
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OriginalUnreadable as exc:
        print(f"The stored original could not be decrypted: {exc}. Check that FHUB_ARCHIVE_KEY (or the Prefect "
              "Secret block fhub-archive-key) holds the key the night that stored it used.", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"decrypted the {found.location} copy of delivery {args.delivery_id} to {dest} (readable by you only); "
          "the opening is recorded in landing.originals_opened. Delete the file when you are done.")
    return 0


def _cmd_forget(args: argparse.Namespace) -> int:
    from fhub.landing import open_work_db
    from fhub.landing.land import load_mappings
    from fhub.privacy.erasure import forget
    from fhub.privacy.vault import resolve_originals_key
    from fhub.pseudonymise import MissingKeyError, resolve_key

    paths = Paths.from_env()
    person_id = sys.stdin.readline().strip() if args.person_id == "-" else args.person_id.strip()
    if not person_id:
        print("Give the person's id as the borough sends it (--person-id ID, or --person-id - to read it from "
              "standard input so it stays out of the shell history).", file=sys.stderr)
        return 2
    mappings, _ = load_mappings(paths.borough_config)
    mapping = mappings.get(args.borough)
    if mapping is None:
        print(f"No borough mapping for '{args.borough}' in {paths.borough_config}: give the borough's slug "
              f"(one of: {', '.join(sorted(mappings))}).", file=sys.stderr)
        return 2
    try:
        hmac_key, _ = resolve_key(args.mode, env=os.environ, use_prefect=True)
        originals_key = resolve_originals_key(args.mode, env=os.environ, use_prefect=True)
    except MissingKeyError as exc:
        print(exc, file=sys.stderr)
        return 2
    con = open_work_db(paths)
    try:
        result = forget(paths, con, borough_code=mapping.borough_code, slug=mapping.slug, person_id=person_id,
                        hmac_key=hmac_key, originals_key=originals_key, mappings=mappings,
                        reference=args.reference, requested_by=_os_user())
    finally:
        con.close()
    print(result.summary())
    if not result.found:
        print(f"Nothing held for that id in {mapping.borough_name}: check the id and the borough (the request is "
              f"recorded as erasure {result.erasure_id} in landing.erasures).")
    if args.no_rebuild or not result.found:
        if result.found:
            print("Run `fhub run` to rebuild the marts and republish without the erased rows.")
        return 0
    print("rebuilding the marts and republishing (the nightly run)...")
    from fhub.cli.pipeline import _cmd_run

    return _cmd_run(argparse.Namespace(mode=args.mode, full_refresh=False, no_reports=False, real_data_dir=None))


def _cmd_privacy_scan(args: argparse.Namespace) -> int:
    from fhub.privacy.artefacts import scan_night

    paths = Paths.from_env()
    home = Path(args.prefect_home) if args.prefect_home else Path(os.environ.get("PREFECT_HOME", ""))
    result = scan_night(paths.data, project=paths.project, prefect_home=home if str(home) else None)
    for finding in result.findings:
        print(finding.describe())
    print(f"{len(result.findings)} finding(s) in {len(result.scanned)} artefact(s) scanned (exemptions: "
          "fhub/privacy/artefacts.py, docs/privacy.md)")
    return 1 if result.findings else 0


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    archive = sub.add_parser("archive", help="the boroughs' original files, kept encrypted at rest")
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    opener = archive_sub.add_parser("open", help="decrypt one delivery's original for an authorised user")
    opener.add_argument("delivery_id", help="the delivery id (from the receipt, deliveries or the quarantine note)")
    opener.add_argument("--to", required=True, help="new file to write (mode 0600; never overwritten)")
    opener.add_argument("--purpose", help="why it is opened (recorded in landing.originals_opened)")
    opener.add_argument("--mode", choices=MODES, default=default_mode())
    opener.set_defaults(func=_cmd_archive_open)

    privacy = sub.add_parser("privacy", help="privacy checks")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    scan = privacy_sub.add_parser("scan", help="scan every artefact of the data folder (and the Prefect database) "
                                                "for identifier-like text; exit 1 if any is found")
    scan.add_argument("--prefect-home", help="Prefect's home folder (default: $PREFECT_HOME)")
    scan.set_defaults(func=_cmd_privacy_scan)

    forget = sub.add_parser("forget", help="erase one person of one borough (UK GDPR erasure request)")
    forget.add_argument("--borough", required=True, help="the borough's slug (its folder under incoming/)")
    forget.add_argument("--person-id", required=True,
                        help="the person's id as the borough sends it (person, pupil or family id); '-' reads it "
                             "from standard input")
    forget.add_argument("--reference", help="the borough's own request reference (recorded in landing.erasures)")
    forget.add_argument("--no-rebuild", action="store_true", help="do not run the nightly rebuild afterwards")
    forget.add_argument("--mode", choices=MODES, default=default_mode())
    forget.set_defaults(func=_cmd_forget)
