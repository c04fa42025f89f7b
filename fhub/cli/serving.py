"""``fhub`` subcommands: the serving database (PostgreSQL)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fhub.settings import Paths


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


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
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
