"""Load the published mart into PostgreSQL atomically: new schemas, COPY, comments, grants, then a swap.

Everything happens in ONE transaction on the loader's connection:

1. ``pg_advisory_xact_lock``: one load at a time;
2. ``mart__incoming`` and ``restricted__incoming`` are created; every served table is created with
   PostgreSQL types and filled by ``COPY ... FROM STDIN`` from the published DuckDB file (restricted
   figures from the work file); row counts are checked against DuckDB; table and column comments come from
   the dbt docs; configured indexes are built; row-level security and grants are set; tables analysed;
3. the swap (:mod:`fhub.serving.swap`): while every table of the old ``mart`` and ``restricted`` is locked
   ACCESS EXCLUSIVE, the old schemas are renamed to ``__retired`` and the new ones into place; commit; then
   the retired schemas are dropped.

Readers (READ COMMITTED, as BI tools use) see the old mart or the new one, never half of one: a query already
reading the old tables finishes on them before the swap gets its locks; a query arriving during the swap
waits for the commit, then resolves the names again and reads the new tables. A failure or a kill anywhere
before the commit rolls the whole transaction back: yesterday's mart keeps serving and nothing is left behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from fhub import faults
from fhub.serving.comments import Comment, DbtDescriptions
from fhub.serving.config import BoroughRole, ServingConfig
from fhub.serving.relations import ServableRelations
from fhub.serving.restricted import RLS_COLUMN, restricted_comment, restricted_table
from fhub.serving.roles import grant_schema, restrict_rows
from fhub.serving.source import MartFiles, OpenedSource, SourceTable, open_source
from fhub.serving.swap import Connect, LockGate, drop_retired, lock_budget_ms, rename_into_place, tables_in

Progress = Callable[[str], None]
LOAD_INFO = "load_info"
#: pg_advisory_xact_lock key: one load at a time per database (any constant; "fhub" in ASCII)
_LOAD_LOCK = 0x66687562


@dataclass
class LoadResult:
    run_id: str
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows
    restricted_note: str | None = None
    retired_left: bool = False  # yesterday's schemas could not be dropped after the swap (the next load does)
    skipped_undeclared: list[str] = field(default_factory=list)
    seconds: float = 0.0
    copy_seconds: float = 0.0
    swap_seconds: float = 0.0
    swap_attempts: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def summary(self) -> str:
        return (
            f"served run {self.run_id}: {len(self.tables)} tables, {self.rows:,} rows in {self.seconds:.1f} s "
            f"(copy {self.copy_seconds:.1f} s, swap {self.swap_seconds:.2f} s after {self.swap_attempts} attempt(s))"
        )


def _ident(*parts: str) -> sql.Composable:
    return sql.SQL(".").join(sql.Identifier(p) for p in parts)


def _create_and_copy(conn: psycopg.Connection, source: OpenedSource, schema: str, table: SourceTable) -> int:
    target = _ident(schema, table.name)
    conn.execute(
        sql.SQL("create table {} ({})").format(
            target,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.pg_type)) for c in table.columns
            ),
        )
    )
    columns = sql.SQL(", ").join(sql.Identifier(c.name) for c in table.columns)
    with conn.cursor() as cur:
        with cur.copy(sql.SQL("copy {} ({}) from stdin (format csv)").format(target, columns)) as copy:
            for chunk in source.csv_chunks(table):
                copy.write(chunk)
        copied = cur.rowcount
    if copied != table.rows:
        raise RuntimeError(f"{schema}.{table.name}: copied {copied} rows, the source has {table.rows}")
    return copied


def _comment(conn: psycopg.Connection, schema: str, table: SourceTable, comment: Comment) -> None:
    """The table's and its columns' comments, sent as one batch of statements (one round trip)."""
    statements: list[sql.Composable] = []
    if comment.table:
        statements.append(
            sql.SQL("comment on table {} is {}").format(
                _ident(schema, table.name), sql.Literal(comment.table)
            )
        )
    for column in table.columns:
        text = comment.columns.get(column.name)
        if text:
            statements.append(
                sql.SQL("comment on column {} is {}").format(
                    _ident(schema, table.name, column.name), sql.Literal(text)
                )
            )
    if statements:
        conn.execute(sql.SQL("; ").join(statements))


def _index(conn: psycopg.Connection, schema: str, table: SourceTable, column_lists: list[list[str]]) -> None:
    names = {c.name for c in table.columns}
    for columns in column_lists:
        if set(columns) <= names:
            conn.execute(
                sql.SQL("create index on {} ({})").format(
                    _ident(schema, table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
                )
            )


def _write_load_info(conn: psycopg.Connection, schema: str, result: LoadResult) -> None:
    conn.execute(
        sql.SQL(
            "create table {} (run_id text not null, loaded_at timestamptz not null, tables integer not null, "
            "rows bigint not null, restricted_note text)"
        ).format(_ident(schema, LOAD_INFO))
    )
    conn.execute(
        sql.SQL("insert into {} values (%s, now(), %s, %s, %s)").format(_ident(schema, LOAD_INFO)),
        [result.run_id, len(result.tables), result.rows, result.restricted_note],
    )
    conn.execute(
        sql.SQL("comment on table {} is {}").format(
            _ident(schema, LOAD_INFO),
            sql.Literal(
                "Which night this mart is: the run id of the published file it was loaded from, when it was "
                "loaded, and how many tables and rows it holds. One row."
            ),
        )
    )


def _build_incoming(
    conn: psycopg.Connection,
    source: OpenedSource,
    config: ServingConfig,
    result: LoadResult,
    *,
    public: list[SourceTable],
    restricted: SourceTable,
    boroughs: list[BoroughRole],
    analyst_roles: list[str],
    descriptions: DbtDescriptions,
    servable: ServableRelations,
    say: Progress,
    clock: Callable[[], float],
) -> None:
    """Inside the load transaction: the new schemas, filled, commented, indexed, secured and granted."""
    mart_in, restricted_in = config.incoming_schemas
    for schema in (mart_in, restricted_in):
        conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
    copy_started = clock()
    for number, table in enumerate(public, start=1):
        result.tables[f"{config.mart_schema}.{table.name}"] = _create_and_copy(conn, source, mart_in, table)
        _comment(conn, mart_in, table, descriptions.for_public(table.name, servable))
        _index(conn, mart_in, table, config.indexes.get(table.name, []))
        say(f"serving: copied {table.name} ({table.rows:,} rows; {number} of {len(public)})")
        if number == 1:
            faults.point("serving.copied")
    result.tables[f"{config.restricted_schema}.{restricted.name}"] = _create_and_copy(
        conn, source, restricted_in, restricted
    )
    _comment(conn, restricted_in, restricted, restricted_comment(descriptions))
    _index(conn, restricted_in, restricted, [[RLS_COLUMN]])
    restrict_rows(conn, restricted_in, restricted.name, RLS_COLUMN, boroughs)
    say(f"serving: copied restricted {restricted.name} ({restricted.rows:,} rows)")
    result.copy_seconds = clock() - copy_started
    _write_load_info(conn, mart_in, result)
    grant_schema(conn, mart_in, [*analyst_roles, *(b.role for b in boroughs)])
    grant_schema(conn, restricted_in, [b.role for b in boroughs])
    conn.execute(
        sql.SQL("analyze {}").format(
            sql.SQL(", ").join(
                _ident(schema, name) for schema, name in tables_in(conn, (mart_in, restricted_in))
            )
        )
    )


def load_mart(
    conn: psycopg.Connection,
    files: MartFiles,
    config: ServingConfig,
    *,
    boroughs: list[BoroughRole],
    analyst_roles: list[str],
    descriptions: DbtDescriptions,
    servable: ServableRelations,
    connect: Connect,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LoadResult:
    """Load the published mart (and the restricted figures) and swap it in; all or nothing.

    ``conn`` must be in autocommit mode (the function opens its own transaction); ``connect`` opens more
    connections as the same (loader) role for the swap's lock gate; ``servable`` is the publish contract
    (which tables of the published file are served). ``analyst_roles`` read the public mart;
    ``boroughs`` read the public mart and their own restricted rows.
    """
    say = progress or (lambda _m: None)
    started = clock()
    source = open_source(files)
    try:
        public = source.public_tables(servable.names())
        restricted, note = restricted_table(source)
        result = LoadResult(
            run_id=source.run_id, restricted_note=note, skipped_undeclared=source.skipped_undeclared
        )
        if any(t.name == LOAD_INFO for t in public):
            raise RuntimeError(f"a public relation is called {LOAD_INFO}, a name the serving load reserves")
        budget_ms = lock_budget_ms(conn, config.lock_timeout_ms)
        gate = LockGate(connect)
        try:
            with conn.transaction():
                conn.execute("select pg_advisory_xact_lock(%s)", [_LOAD_LOCK])
                _build_incoming(
                    conn,
                    source,
                    config,
                    result,
                    public=public,
                    restricted=restricted,
                    boroughs=boroughs,
                    analyst_roles=analyst_roles,
                    descriptions=descriptions,
                    servable=servable,
                    say=say,
                    clock=clock,
                )
                swap_started = clock()
                result.swap_attempts = rename_into_place(
                    conn,
                    gate,
                    live=(config.mart_schema, config.restricted_schema),
                    incoming=config.incoming_schemas,
                    retired=config.retired_schemas,
                    budget_ms=budget_ms,
                    give_up_after_s=config.give_up_after_s,
                    clock=clock,
                )
            result.swap_seconds = clock() - swap_started  # committed: tonight's mart is served
        finally:
            gate.release()  # after the commit (or the rollback): queued readers go on, to the new mart
            gate.close()
        result.retired_left = not drop_retired(
            conn, config.retired_schemas, budget_ms, config.give_up_after_s
        )
    finally:
        source.close()
    result.seconds = clock() - started
    say(f"serving: {result.summary()}")
    return result
