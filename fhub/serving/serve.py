"""Serve tonight's published mart: where to (a DSN or the local cluster), roles, load, and the DQ record.

:func:`serve_published_mart` never raises for a failed load: the night has published its DuckDB file, and
a serving database that could not be updated keeps yesterday's mart. The outcome is recorded as a
data-quality check (source ``serving``: pass, or fail with a plain-language reason) in the work file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from fhub.serving.cluster import LocalCluster
from fhub.serving.config import ServingConfig, ServingConfigError, default_config_path, load_serving_config
from fhub.serving.passwords import ensure_passwords
from fhub.settings import Paths

Progress = Callable[[str], None]
CHECK_NAME = "postgres_serving_load"


class NoPublishedMart(RuntimeError):
    """Nothing to serve yet."""


@dataclass
class ServingTarget:
    """A serving database: the loader's DSN, and the local cluster when that is where it runs."""

    dsn: str
    local: LocalCluster | None = None
    env_passwords: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"local cluster {self.local.root}" if self.local else "FHUB_POSTGRES_DSN"

    def passwords(self, roles: list[str]) -> dict[str, str]:
        """Local cluster: generated into its password file. Otherwise: what the environment gave."""
        if self.local is not None:
            return ensure_passwords(self.local.passfile, roles)
        return dict(self.env_passwords)


def local_cluster(paths: Paths, bindir: Path | None = None) -> LocalCluster:
    """The cluster under ``$FHUB_DATA_DIR/postgres`` (server programs from ``bindir`` if given)."""
    return LocalCluster(paths.data / "postgres", bindir=bindir)


def resolve_target(
    paths: Paths, *, env_dsn: str | None, env_passwords: Mapping[str, str] | None = None
) -> ServingTarget | None:
    """``FHUB_POSTGRES_DSN`` when given (production), else the local cluster when it is up, else None."""
    if env_dsn:
        return ServingTarget(dsn=env_dsn, env_passwords=dict(env_passwords or {}))
    cluster = local_cluster(paths)
    port = cluster.running_port()
    if port is None:
        return None
    info = cluster.info(port)
    return ServingTarget(dsn=info.dsn(info.loader, tcp=False), local=cluster)


def serve_when_configured(paths: Paths, run_id: str, env_dsn: str | None, env_passwords: Mapping[str, str],
                          progress=None) -> dict | None:
    """The nightly's serve step: load the published mart when serving is configured (:func:`resolve_target`);
    None when it is not. Returns the outcome as plain data."""
    target = resolve_target(paths, env_dsn=env_dsn, env_passwords=env_passwords)
    if target is None:
        return None
    return serve_published_mart(paths, run_id, target, progress=progress).to_dict()


@dataclass
class ServingOutcome:
    ok: bool
    target: str
    run_id: str | None = None
    summary: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    reason: str | None = None  # plain-language template, when not ok

    def line(self) -> str:
        """The run summary's words for it (after "serving database (PostgreSQL, ")."""
        if self.ok:
            notes = "".join(f"\n  - note: {note}" for note in self.notes)
            return f"{self.target}): {self.summary}{notes}"
        return f"{self.target}): NOT UPDATED - {self.reason}; it keeps serving the mart it had"

    def to_dict(self) -> dict:
        return {**asdict(self), "line": self.line()}


def describe_failure(exc: BaseException) -> str:
    """A template naming what failed (a class of problem, an SQLSTATE code), never a value from the data."""
    import duckdb
    import psycopg

    from fhub.dbt.contract import ContractError
    from fhub.landing.mapping import MappingError
    from fhub.serving.swap import SwapGaveUp

    kind = type(exc).__name__  # the exception's class, never its text (a server error can quote a value)
    sqlstate = getattr(exc, "sqlstate", None) or "none"
    if isinstance(exc, (SwapGaveUp, NoPublishedMart, ServingConfigError)):
        return (
            f"the serving configuration is wrong: {exc}" if isinstance(exc, ServingConfigError) else str(exc)
        )
    if isinstance(exc, ContractError):
        return "the publish contract could not be read from the dbt manifest (dbt parse or a nightly run writes it)"
    if isinstance(exc, MappingError):  # its text may quote a borough's column heading: not repeated here
        return "the borough mapping files could not be read, so the borough roles are unknown (fhub land says why)"
    if isinstance(exc, psycopg.OperationalError) and getattr(exc, "sqlstate", None) is None:
        return "could not connect to the serving database (is it running? is FHUB_POSTGRES_DSN right?)"
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        return (
            "the login used to load is read-only (FHUB_POSTGRES_DSN must name the loader role, not a reader)"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return "the loader role lacks a privilege it needs (SQLSTATE 42501; see README 'Serving')"
    if isinstance(exc, psycopg.Error):
        return f"the serving database refused the load ({kind}, SQLSTATE {sqlstate})"
    if isinstance(exc, duckdb.Error):
        return f"could not read the published file or the work file ({kind})"
    return f"the load failed ({kind})"


def prepare_roles(target: ServingTarget, paths: Paths, config: ServingConfig, conn=None):
    """Create or update the reader roles of the configuration; returns the borough roles and the outcome."""
    import psycopg

    from fhub.serving.roles import ensure_roles

    boroughs = config.borough_roles(paths.borough_config)
    passwords = target.passwords([config.analyst_role, *(b.role for b in boroughs)])
    if conn is not None:
        return boroughs, ensure_roles(conn, config, boroughs, passwords)
    with psycopg.connect(target.dsn, autocommit=True, application_name="fhub-serving-roles") as own:
        return boroughs, ensure_roles(own, config, boroughs, passwords)


def load_into(
    target: ServingTarget,
    paths: Paths,
    config: ServingConfig,
    *,
    progress: Progress | None = None,
):
    """Roles, then the load. Raises on failure (the serving database is unchanged)."""
    import psycopg

    from fhub.serving.comments import read_dbt_descriptions
    from fhub.serving.load import load_mart
    from fhub.serving.relations import servable_relations
    from fhub.serving.source import MartFiles

    if not paths.published_db.exists():
        raise NoPublishedMart("there is no published mart yet (run the nightly first)")
    with psycopg.connect(target.dsn, autocommit=True, application_name="fhub-serving-load") as conn:
        boroughs, roles = prepare_roles(target, paths, config, conn)
        result = load_mart(
            conn,
            MartFiles(paths.published_db, paths.work_db),
            config,
            boroughs=[b for b in boroughs if b.role in roles.present],
            analyst_roles=[config.analyst_role] if config.analyst_role in roles.present else [],
            descriptions=read_dbt_descriptions(paths.dbt_target / "manifest.json"),
            servable=servable_relations(paths.dbt_target),
            connect=lambda: psycopg.connect(target.dsn, application_name="fhub-serving-swap"),
            progress=progress,
        )
    return result, roles


def serve_published_mart(
    paths: Paths,
    run_id: str,
    target: ServingTarget,
    *,
    config_path: Path | None = None,
    progress: Progress | None = None,
    record: bool = True,
) -> ServingOutcome:
    """Load tonight's published mart into the serving database; record the outcome as a DQ check."""
    say = progress or (lambda _m: None)
    started = time.monotonic()
    outcome = ServingOutcome(ok=False, target=target.label)
    try:
        config = load_serving_config(config_path or default_config_path(paths.project))
        result, roles = load_into(target, paths, config, progress=progress)
        outcome.ok = True
        outcome.run_id = result.run_id
        outcome.summary = result.summary()
        outcome.tables = result.tables
        outcome.notes = [*roles.notes]
        if result.restricted_note:
            outcome.notes.append(result.restricted_note)
        if result.retired_left:
            outcome.notes.append(
                "yesterday's schemas could not be dropped after the swap; the next load drops them"
            )
        if result.skipped_undeclared:
            outcome.notes.append(
                f"{len(result.skipped_undeclared)} undeclared table(s) in the published file not served"
            )
    except Exception as exc:  # noqa: BLE001 - a failed load is a DQ error, never a crash of the night
        outcome.reason = describe_failure(exc)
        say(f"serving: NOT UPDATED ({outcome.reason}); the serving database keeps the mart it had")
    outcome.seconds = time.monotonic() - started
    for note in outcome.notes:
        say(f"serving: note: {note}")
    if record:
        try:
            record_outcome(paths, run_id, outcome)
        except Exception as exc:  # noqa: BLE001 - the night goes on; the run summary still says what happened
            kind = type(exc).__name__
            say(f"serving: could not record the outcome as a data-quality check ({kind})")
    return outcome


def record_outcome(paths: Paths, run_id: str, outcome: ServingOutcome) -> None:
    """One DQ check result (source ``serving``) in the work file's ``dq.check_results``."""
    import duckdb

    from fhub.dq import CheckResult, write_check_results

    if outcome.ok:
        result = CheckResult(
            check_name=CHECK_NAME,
            source="serving",
            dimension="timeliness",
            severity="warn",
            status="warn" if outcome.notes else "pass",
            target_relation="postgres",
            observed_value=f"{len(outcome.tables)} tables, {sum(outcome.tables.values())} rows, {outcome.seconds:.1f} s",
            message="The serving database (PostgreSQL) now serves tonight's published mart."
            + (" Notes: " + "; ".join(outcome.notes) if outcome.notes else ""),
        )
    else:
        result = CheckResult(
            check_name=CHECK_NAME,
            source="serving",
            dimension="timeliness",
            severity="warn",
            status="fail",
            target_relation="postgres",
            message=(
                "The serving database (PostgreSQL) was NOT updated tonight: "
                f"{outcome.reason}. It keeps serving the mart it had; the published DuckDB file is up to date."
            ),
            fix=(
                "Check the serving database is running (fhub postgres status) and the loader's DSN, then load the "
                "current mart by hand with `fhub postgres publish`; the server log says more."
            ),
        )
    con = duckdb.connect(str(paths.work_db))
    try:
        write_check_results(con, run_id, "serving", [result])
    finally:
        con.close()
