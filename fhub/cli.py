"""Command line: ``fhub <command>`` (installed by the project; ``make`` targets call it)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.settings import Paths, apply_offline_env


def _cmd_demo(args: argparse.Namespace) -> int:
    from fhub.demo import generate
    from fhub.reference.folder import choose_from_settings

    paths = Paths.from_env().ensure()
    out = Path(args.out) if args.out else paths.incoming
    # the same reference folder the nightly will land from (calibration and real LSOAs; None = synthetic)
    options = {
        "boroughs": args.boroughs,
        "years": args.years,
        "real_data_dir": choose_from_settings(paths, os.environ).path,
    }
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


def _cmd_report(args: argparse.Namespace) -> int:  # noqa: ARG001
    from fhub.reporting import build_all_reports

    paths = Paths.from_env()
    for page in build_all_reports(paths, run_id=None):
        print(page)
    return 0


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
    print(f"this run would use: {choose_from_settings(paths, os.environ).explanation}")
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
            fallback = choose_from_settings(paths, os.environ).explanation
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
        key = resolve_originals_key(args.mode, use_prefect=True)
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

def _cmd_check(args: argparse.Namespace) -> int:
    from fhub.check import CheckError, check_files

    paths = Paths.from_env()
    try:
        result = check_files(paths, args.borough, [Path(f) for f in args.files], mode=args.mode,
                             history=not args.no_history, config_dir=args.config_dir)
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
          history=not args.no_history)
    return 0


def _cmd_notify(args: argparse.Namespace) -> int:
    from fhub.notify import NotifyConfigError, load_notify_config
    from fhub.notify.config import config_path

    paths = Paths.from_env()
    try:
        config = load_notify_config(config_path(paths.project))
    except NotifyConfigError as exc:
        print(f"fhub notify: {exc}", file=sys.stderr)
        return 2
    if args.action == "setup":
        from fhub.notify.automations import setup_automations

        for line in setup_automations(config):
            print(line)
        return 0
    from fhub.notify.channels import Channels, NotConfigured, deliver
    from fhub.notify.messages import PREFIX, Message

    message = Message("test", f"{PREFIX} Test message", "A test from `fhub notify test`: this channel works.")
    channels, failed = Channels(config), 0
    targets = [("email", lambda: channels.email(list(config.central.email)))] if config.central.email else []
    targets += [(f"webhook:{n}", lambda n=n: channels.webhook(n)) for n in config.central.webhooks]
    for name, block in targets:
        try:
            deliver(block(), message)
            print(f"{name}: sent")
        except NotConfigured as exc:
            print(f"{name}: not configured ({exc})")
        except Exception as exc:  # noqa: BLE001 - report every channel
            failed += 1
            print(f"{name}: FAILED ({type(exc).__name__})")
    return 1 if failed else 0


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
        hmac_key, _ = resolve_key(args.mode, use_prefect=True)
        originals_key = resolve_originals_key(args.mode, use_prefect=True)
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
    return _cmd_run(argparse.Namespace(mode=args.mode, full_refresh=False, no_reports=False))


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


def _serving_target(paths: Paths):
    from fhub.serving.passwords import passwords_from_environment
    from fhub.serving.serve import resolve_target

    return resolve_target(
        paths,
        env_dsn=os.environ.get("FHUB_POSTGRES_DSN"),
        env_passwords=passwords_from_environment(os.environ),
    )


def _cmd_postgres(args: argparse.Namespace) -> int:
    """``fhub postgres up|down|status|publish|dsn``: the serving database (README "Serving (PostgreSQL)")."""
    from fhub.serving.cluster import ClusterError
    from fhub.serving.config import ServingConfigError, default_config_path, load_serving_config
    from fhub.serving.serve import ServingTarget, describe_failure, load_into, local_cluster, prepare_roles

    paths = Paths.from_env()
    bindir = os.environ.get("FHUB_PG_BINDIR")
    cluster = local_cluster(paths, Path(bindir) if bindir else None)
    try:
        config = load_serving_config(default_config_path(paths.project))
        if args.action == "up":
            info = cluster.up(database=config.database, loader=config.loader, port=args.port)
            try:
                _, roles = prepare_roles(ServingTarget(info.dsn(info.loader, tcp=False), local=cluster), paths, config)
            except Exception as exc:  # noqa: BLE001 - the cluster runs; say why the roles are not there
                print(f"the reader roles could not be set up: {describe_failure(exc)}", file=sys.stderr)
                return 1
            for note in [*info.notes, *roles.notes]:
                print(note)
            print(f"PostgreSQL serving cluster {'started' if info.started else 'already running'}: "
                  f"127.0.0.1:{info.port} and socket folder {info.socket_dir}")
            print(f"logins (generated, mode 0600): {info.passfile}")
            print(f"analysts: psql \"{info.dsn(config.analyst_role)}\"")
            if not paths.published_db.exists():
                print("no published mart yet: run the nightly (fhub run), which loads it")
            else:
                print("load the current published mart now: fhub postgres publish")
            print(info.dsn(info.loader))
            return 0
        if args.action == "down":
            print("stopped" if cluster.stop() else "the local cluster was not running")
            return 0
        if args.action == "dsn":
            port = cluster.running_port()
            if port is None:
                print("the local cluster is not running: fhub postgres up", file=sys.stderr)
                return 2
            info = cluster.info(port)
            print(info.dsn(args.role or info.loader, tcp=not args.socket))
            return 0
        target = _serving_target(paths)
        if target is None:
            print("no serving database: start the local one with `fhub postgres up`, or set FHUB_POSTGRES_DSN",
                  file=sys.stderr)
            return 2
        if args.action == "status":
            return _postgres_status(target, config)
        try:
            result, roles = load_into(target, paths, config, progress=print)
        except Exception as exc:  # noqa: BLE001 - said plainly; the serving database is unchanged
            print(f"NOT LOADED: {describe_failure(exc)}; the serving database keeps the mart it had", file=sys.stderr)
            return 1
        for note in [*roles.notes, *([result.restricted_note] if result.restricted_note else [])]:
            print(f"note: {note}")
        return 0
    except (ClusterError, ServingConfigError) as exc:
        print(f"fhub postgres {args.action}: {exc}", file=sys.stderr)
        return 2


def _postgres_status(target, config) -> int:
    import psycopg
    from psycopg import sql

    print(f"serving database: {target.label}")
    try:
        with psycopg.connect(target.dsn, connect_timeout=10) as con:
            row = con.execute(
                sql.SQL("select run_id, loaded_at, tables, rows from {}.load_info").format(
                    sql.Identifier(config.mart_schema)
                )
            ).fetchone()
    except psycopg.errors.UndefinedTable:
        print("reachable; no mart loaded yet (fhub postgres publish)")
        return 0
    except psycopg.Error as exc:
        print(f"not reachable ({type(exc).__name__})", file=sys.stderr)
        return 1
    print(f"serving run {row[0]}, loaded {row[1]:%Y-%m-%d %H:%M:%S %Z}: {row[2]} tables, {row[3]:,} rows")
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

    confirm = sub.add_parser(
        "confirm", help="confirm a held resubmission (the borough says the smaller file is right)"
    )
    confirm.add_argument("delivery_id", help="the delivery id from the receipt (at least its first 12 characters)")
    confirm.set_defaults(func=_cmd_confirm)

    report = sub.add_parser("report", help="build the performance-cycle HTML report from the published file")
    report.set_defaults(func=_cmd_report)

    postgres = sub.add_parser(
        "postgres", help="the serving database: up | down | status | publish | dsn (README 'Serving')"
    )
    postgres.add_argument(
        "action",
        choices=["up", "down", "status", "publish", "dsn"],
        help="up: start (or reuse) the local cluster under $FHUB_DATA_DIR/postgres and print its DSN last; "
        "down: stop it; status: what it serves; publish: load the current published mart now; "
        "dsn: print a role's DSN",
    )
    postgres.add_argument("--port", type=int, help="up: port on 127.0.0.1 (default: the last one, else a free one)")
    postgres.add_argument("--role", help="dsn: the role to log in as (default: the loader)")
    postgres.add_argument("--socket", action="store_true", help="dsn: over the unix socket instead of TCP")
    postgres.set_defaults(func=_cmd_postgres)
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
    check.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
    check.set_defaults(func=_cmd_check)

    server = sub.add_parser("check-server", help="a local page (127.0.0.1 only) for the pre-send check")
    server.add_argument("--port", type=int, default=int(os.environ.get("FHUB_CHECK_PORT", 8765)))
    server.add_argument("--max-upload-mb", type=float, default=float(os.environ.get("FHUB_CHECK_MAX_MB", 100)),
                        help="largest upload accepted, in MB (default 100)")
    server.add_argument("--no-history", action="store_true",
                        help="do not compare with the warehouse's earlier deliveries")
    server.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
    server.set_defaults(func=_cmd_check_server)

    notify = sub.add_parser("notify", help="notifications: test the central team's channels, or set up the "
                            "Prefect automations (crashed / missing night)")
    notify.add_argument("action", choices=["test", "setup"],
                        help="test: send a test message to the central team's channels; setup: save them as "
                        "Prefect blocks and create the automations (needs PREFECT_API_URL)")
    notify.set_defaults(func=_cmd_notify)
    archive = sub.add_parser("archive", help="the boroughs' original files, kept encrypted at rest")
    archive_sub = archive.add_subparsers(dest="archive_command", required=True)
    opener = archive_sub.add_parser("open", help="decrypt one delivery's original for an authorised user")
    opener.add_argument("delivery_id", help="the delivery id (from the receipt, deliveries or the quarantine note)")
    opener.add_argument("--to", required=True, help="new file to write (mode 0600; never overwritten)")
    opener.add_argument("--purpose", help="why it is opened (recorded in landing.originals_opened)")
    opener.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
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
    forget.add_argument("--mode", choices=["demo", "production"], default=os.environ.get("FHUB_MODE", "demo"))
    forget.set_defaults(func=_cmd_forget)

    paths = sub.add_parser("paths", help="print where everything is")
    paths.set_defaults(func=_cmd_paths)

    args = parser.parse_args(argv)
    if getattr(args, "real_data_dir", None):
        os.environ["FHUB_REAL_DATA_DIR"] = args.real_data_dir
    if args.command == "check":
        try:
            return args.func(args)
        except Exception as exc:  # noqa: BLE001 - exit codes 0-2 are verdicts; a broken check must not look like one
            print(f"fhub check: the check itself could not run ({type(exc).__name__}); nothing was stored.",
                  file=sys.stderr)
            return 3
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
