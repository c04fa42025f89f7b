"""Reader roles and what they may read, from ``config/serving.yml``.

* ``fh_analyst``: read-only, the public (suppressed) mart, all boroughs.
* ``fh_borough_<slug>``: read-only, the public mart plus schema ``restricted``, where row-level security
  shows only rows whose ``borough_code`` is the borough's own (one policy per role, keyed on the code;
  membership counts, so a DBA may grant the role to personal logins).
* Only the loader (owner of both schemas and every table in them) writes. Readers get no privilege beyond
  CONNECT, USAGE and SELECT, and their sessions default to read-only transactions.

:func:`ensure_roles` runs before a load in its own transaction; :func:`grant_schema` and
:func:`restrict_rows` run inside the load transaction on the new schemas, so the privileges and policies
move with the tables when the schemas are swapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from fhub.serving.config import BoroughRole, ServingConfig


@dataclass
class RolesOutcome:
    present: set[str] = field(default_factory=set)
    created: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # configured but absent (manage_roles: false)
    notes: list[str] = field(default_factory=list)


def _exists(conn: psycopg.Connection, role: str) -> bool:
    return conn.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone() is not None


def ensure_roles(
    conn: psycopg.Connection,
    config: ServingConfig,
    boroughs: list[BoroughRole],
    passwords: dict[str, str],
) -> RolesOutcome:
    """Create or update the reader roles (when ``manage_roles``) and let them connect; one transaction."""
    outcome = RolesOutcome()
    readers: list[tuple[str, str, list[str]]] = [
        (config.analyst_role, config.analyst_description, [config.mart_schema])
    ] + [
        (
            b.role,
            f"{config.borough_description} Borough {b.borough_code}.",
            [config.mart_schema, config.restricted_schema],
        )
        for b in boroughs
    ]
    database = conn.info.dbname
    with conn.transaction():
        for role, description, search_path in readers:
            existed = _exists(conn, role)
            if config.manage_roles:
                ident = sql.Identifier(role)
                if not existed:
                    conn.execute(
                        sql.SQL(
                            "create role {} login nosuperuser nocreatedb nocreaterole noreplication"
                        ).format(ident)
                    )
                    outcome.created.append(role)
                if role in passwords:
                    conn.execute(
                        sql.SQL("alter role {} password {}").format(ident, sql.Literal(passwords[role]))
                    )
                conn.execute(
                    sql.SQL("alter role {} set search_path = {}").format(
                        ident, sql.SQL(", ").join(sql.Identifier(s) for s in search_path)
                    )
                )
                for name, value in config.reader_settings.items():
                    conn.execute(
                        sql.SQL("alter role {} set {} = {}").format(ident, sql.SQL(name), sql.Literal(value))
                    )
                if description:
                    conn.execute(sql.SQL("comment on role {} is {}").format(ident, sql.Literal(description)))
            elif not existed:
                outcome.missing.append(role)
                continue
            outcome.present.add(role)
        if outcome.present:
            try:
                with conn.transaction():
                    conn.execute(
                        sql.SQL("grant connect on database {} to {}").format(
                            sql.Identifier(database),
                            sql.SQL(", ").join(sql.Identifier(r) for r in sorted(outcome.present)),
                        )
                    )
            except psycopg.errors.InsufficientPrivilege:
                outcome.notes.append(
                    f"the loader may not grant CONNECT on database {database}: a DBA grants it to the reader roles"
                )
    if outcome.missing:
        outcome.notes.append(
            f"{len(outcome.missing)} configured reader role(s) do not exist and get no access: "
            + ", ".join(outcome.missing[:10])
        )
    return outcome


def grant_schema(conn: psycopg.Connection, schema: str, roles: list[str]) -> None:
    """USAGE on the schema and SELECT on its tables, nothing else."""
    if not roles:
        return
    grantees = sql.SQL(", ").join(sql.Identifier(r) for r in sorted(roles))
    conn.execute(sql.SQL("revoke all on schema {} from public").format(sql.Identifier(schema)))
    conn.execute(sql.SQL("grant usage on schema {} to {}").format(sql.Identifier(schema), grantees))
    conn.execute(
        sql.SQL("grant select on all tables in schema {} to {}").format(sql.Identifier(schema), grantees)
    )


def restrict_rows(
    conn: psycopg.Connection, schema: str, table: str, column: str, boroughs: list[BoroughRole]
) -> None:
    """Row-level security: each borough role (and its members) reads the rows of its own borough code."""
    target = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
    conn.execute(sql.SQL("alter table {} enable row level security").format(target))
    for borough in boroughs:
        conn.execute(
            sql.SQL("create policy {} on {} for select to {} using ({} = {})").format(
                sql.Identifier(f"own_borough_{borough.role}"[:63]),
                target,
                sql.Identifier(borough.role),
                sql.Identifier(column),
                sql.Literal(borough.borough_code),
            )
        )
