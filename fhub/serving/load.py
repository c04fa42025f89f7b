"""Load the published mart into PostgreSQL atomically: new schemas, COPY, comments, grants, then a swap.

Everything happens in ONE transaction on the loader's connection:

1. ``pg_advisory_xact_lock``: one load at a time;
2. ``mart__incoming`` and ``restricted__incoming`` are created; every served table is created with
   PostgreSQL types and filled by ``COPY ... FROM STDIN`` from the published DuckDB file (restricted
   figures from the work file); row counts are checked against DuckDB; table and column comments come from
   the dbt docs; configured indexes are built; row-level security and grants are set; tables analysed;
3. the swap: ACCESS EXCLUSIVE locks on every table of the old ``mart`` and ``restricted`` (so no query is
   half-way through the old mart when it goes, and no query can see one old and one new table), the old
   schemas renamed to ``__retired``, the new ones renamed into place, the retired ones dropped; commit.

Readers (READ COMMITTED, as BI tools use) see the old mart or the new one, never half of one: a query already
reading the old tables finishes on them before the swap can take its locks; a query arriving during the swap
waits for the commit, then resolves the names again and reads the new tables. The locks are tried for at
most ``lock_timeout_ms`` at a time (then released and retried until ``give_up_after_s``), so readers never
queue behind the swap for long and never meet a deadlock. A failure or a kill anywhere before the commit rolls
the whole transaction back: yesterday's mart keeps serving and nothing is left behind.
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
from fhub.serving.restricted import RLS_COLUMN, restricted_comment, restricted_table
from fhub.serving.roles import grant_schema, restrict_rows
from fhub.serving.source import MartFiles, OpenedSource, SourceTable, open_source

Progress = Callable[[str], None]
LOAD_INFO = "load_info"
#: pg_advisory_xact_lock key: one load at a time per database (any constant; "fhub" in ASCII)
_LOAD_LOCK = 0x66687562
_RETRYABLE = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg.errors.DeadlockDetected)


class SwapGaveUp(RuntimeError):
    """Readers held the old mart for longer than the configured time; nothing was changed."""


@dataclass
class LoadResult:
    run_id: str
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows
    restricted_note: str | None = None
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
    if comment.table:
        conn.execute(
            sql.SQL("comment on table {} is {}").format(
                _ident(schema, table.name), sql.Literal(comment.table)
            )
        )
    for column in table.columns:
        text = comment.columns.get(column.name)
        if text:
            conn.execute(
                sql.SQL("comment on column {} is {}").format(
                    _ident(schema, table.name, column.name), sql.Literal(text)
                )
            )


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


def _tables_in(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in conn.execute(
            "select schemaname, tablename from pg_tables where schemaname = any(%s) order by 1, 2",
            [list(schemas)],
        ).fetchall()
    ]


def _schema_exists(conn: psycopg.Connection, schema: str) -> bool:
    return conn.execute("select 1 from pg_namespace where nspname = %s", [schema]).fetchone() is not None


def _swap(conn: psycopg.Connection, config: ServingConfig, clock: Callable[[], float]) -> int:
    """Inside the load transaction: lock the old mart, rename old out and new in, drop the old. Returns the
    number of attempts; raises :class:`SwapGaveUp` when readers held the old mart too long."""
    live = (config.mart_schema, config.restricted_schema)
    incoming, retired = config.incoming_schemas, config.retired_schemas
    deadlock_ms = conn.execute(
        "select setting::int from pg_settings where name = 'deadlock_timeout'"
    ).fetchone()[0]
    budget_ms = max(10, min(config.lock_timeout_ms, deadlock_ms // 2))  # readers never wait long enough on
    deadline = clock() + config.give_up_after_s  # us for their deadlock check to fire
    attempt = 0
    while True:
        attempt += 1
        try:
            with conn.transaction():  # a savepoint: a timed-out attempt releases every lock it took
                old = _tables_in(conn, live)
                if old:
                    conn.execute(
                        sql.SQL("set local statement_timeout = {}").format(sql.Literal(f"{budget_ms}ms"))
                    )
                    conn.execute(
                        sql.SQL("lock table {} in access exclusive mode").format(
                            sql.SQL(", ").join(_ident(s, t) for s, t in old)
                        )
                    )
                    conn.execute("set local statement_timeout = 0")
                for live_name, incoming_name, retired_name in zip(live, incoming, retired, strict=True):
                    conn.execute(
                        sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(retired_name))
                    )
                    if _schema_exists(conn, live_name):
                        conn.execute(
                            sql.SQL("alter schema {} rename to {}").format(
                                sql.Identifier(live_name), sql.Identifier(retired_name)
                            )
                        )
                    conn.execute(
                        sql.SQL("alter schema {} rename to {}").format(
                            sql.Identifier(incoming_name), sql.Identifier(live_name)
                        )
                    )
                for retired_name in retired:
                    conn.execute(
                        sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(retired_name))
                    )
                faults.point("serving.swapping")
            return attempt
        except _RETRYABLE as exc:
            if clock() >= deadline:
                raise SwapGaveUp(
                    f"readers held the old mart for more than {config.give_up_after_s:.0f} s "
                    f"({attempt} attempts); the old mart keeps serving"
                ) from exc
            time.sleep(min(0.05 * attempt, 1.0))


def load_mart(
    conn: psycopg.Connection,
    files: MartFiles,
    config: ServingConfig,
    *,
    boroughs: list[BoroughRole],
    analyst_roles: list[str],
    descriptions: DbtDescriptions,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LoadResult:
    """Load the published mart (and the restricted figures) and swap it in; all or nothing.

    ``conn`` must be in autocommit mode (the function opens its own transaction). ``analyst_roles`` read the
    public mart; ``boroughs`` read the public mart and their own restricted rows.
    """
    say = progress or (lambda _m: None)
    started = clock()
    source = open_source(files)
    try:
        public = source.public_tables()
        restricted, note = restricted_table(source)
        result = LoadResult(
            run_id=source.run_id, restricted_note=note, skipped_undeclared=source.skipped_undeclared
        )
        if any(t.name == LOAD_INFO for t in public):
            raise RuntimeError(f"a public relation is called {LOAD_INFO}, a name the serving load reserves")
        mart_in, restricted_in = config.incoming_schemas
        with conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", [_LOAD_LOCK])
            for schema in (mart_in, restricted_in):
                conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
                conn.execute(sql.SQL("create schema {}").format(sql.Identifier(schema)))
            copy_started = clock()
            for number, table in enumerate(public, start=1):
                result.tables[f"{config.mart_schema}.{table.name}"] = _create_and_copy(
                    conn, source, mart_in, table
                )
                _comment(conn, mart_in, table, descriptions.for_public(table.name))
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
            for schema, name in _tables_in(conn, (mart_in, restricted_in)):
                conn.execute(sql.SQL("analyze {}").format(_ident(schema, name)))
            swap_started = clock()
            result.swap_attempts = _swap(conn, config, clock)
            result.swap_seconds = clock() - swap_started
    finally:
        source.close()
    result.seconds = clock() - started
    say(f"serving: {result.summary()}")
    return result
