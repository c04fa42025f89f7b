"""The swap: yesterday's mart out, tonight's in, without a reader ever seeing half of one.

A query resolves its tables one after another while it is parsed, locking each (ACCESS SHARE) as it goes.
If the schemas were renamed between two of those lookups, one query could read yesterday's ``A`` and
tonight's ``B``. So the renames commit only while every table of the old mart is locked ACCESS EXCLUSIVE:
then no query is half-way through resolving the old mart; queries that arrive wait for the commit and
then resolve the new names.

Taking those locks one by one from the load's own transaction would deadlock with readers that lock the
same tables in another order (a reader holds ``load_info`` and waits for ``indicator_values``, which the
swap holds while it waits for ``load_info``). So :class:`LockGate` asks for all of them AT ONCE, one
helper connection per table: every request joins its table's queue at the same moment, new readers queue
behind them holding nothing, readers in flight finish. Each attempt waits at most ``budget_ms`` (less
than half of ``deadlock_timeout``, so a reader's deadlock check never fires because of us); an attempt that
does not get every lock releases them all and is retried with a short pause, until ``give_up_after_s``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg import sql

from fhub import faults

Connect = Callable[[], psycopg.Connection]
#: Most helper connections a swap opens; beyond that a helper locks several tables in turn.
MAX_HELPERS = 32
RETRYABLE = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled, psycopg.errors.DeadlockDetected)


class SwapGaveUp(RuntimeError):
    """Readers held the old mart for longer than the configured time; nothing was changed."""


def _ident(*parts: str) -> sql.Composable:
    return sql.SQL(".").join(sql.Identifier(p) for p in parts)


class LockGate:
    """ACCESS EXCLUSIVE on a set of tables, requested concurrently from one helper connection per table."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._helpers: list[psycopg.Connection] = []
        self._pool: ThreadPoolExecutor | None = None

    def _ensure(self, count: int) -> None:
        while len(self._helpers) < count:
            helper = self._connect()
            helper.autocommit = False
            self._helpers.append(helper)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=MAX_HELPERS, thread_name_prefix="fhub-swap-lock")

    def acquire(self, tables: list[tuple[str, str]], budget_ms: int) -> bool:
        """True when every table is locked (held until :meth:`release`); False after releasing them all."""
        groups = [tables[i::MAX_HELPERS] for i in range(min(len(tables), MAX_HELPERS))]
        self._ensure(len(groups))
        assert self._pool is not None

        def lock(helper: psycopg.Connection, group: list[tuple[str, str]]) -> None:
            helper.execute(sql.SQL("set local statement_timeout = {}").format(sql.Literal(f"{budget_ms}ms")))
            helper.execute(
                sql.SQL("lock table {} in access exclusive mode").format(
                    sql.SQL(", ").join(_ident(s, t) for s, t in group)
                )
            )

        futures = [self._pool.submit(lock, h, g) for h, g in zip(self._helpers, groups, strict=False)]
        failed = False
        for future in futures:
            try:
                future.result()
            except RETRYABLE:
                failed = True
        if failed:
            self.release()
        return not failed

    def release(self) -> None:
        for helper in self._helpers:
            if not helper.closed:
                helper.rollback()

    def close(self) -> None:
        for helper in self._helpers:
            helper.close()
        self._helpers.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def tables_in(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (r[0], r[1])
        for r in conn.execute(
            "select schemaname, tablename from pg_tables where schemaname = any(%s) order by 1, 2",
            [list(schemas)],
        ).fetchall()
    ]


def lock_budget_ms(conn: psycopg.Connection, configured_ms: int) -> int:
    deadlock_ms = conn.execute(
        "select setting::int from pg_settings where name = 'deadlock_timeout'"
    ).fetchone()[0]
    return max(10, min(configured_ms, deadlock_ms // 2))


def rename_into_place(
    conn: psycopg.Connection,
    gate: LockGate,
    *,
    live: tuple[str, ...],
    incoming: tuple[str, ...],
    retired: tuple[str, ...],
    budget_ms: int,
    give_up_after_s: float,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Inside the load transaction: lock the old mart (through ``gate``), rename old out and new in. The
    caller commits, then releases the gate and drops ``retired``. Returns the number of attempts."""
    deadline = clock() + give_up_after_s
    attempt = 0
    while True:
        attempt += 1
        old = tables_in(conn, live)
        if not old or gate.acquire(old, budget_ms):
            break
        if clock() >= deadline:
            raise SwapGaveUp(
                f"readers held the old mart for more than {give_up_after_s:.0f} s ({attempt} attempts); "
                "the old mart keeps serving"
            )
        time.sleep(min(0.02 * attempt, 0.5))
    # a retired schema left by a loader that died between its commit and its drop: nobody reads it
    conn.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(f"{budget_ms}ms")))
    for live_name, incoming_name, retired_name in zip(live, incoming, retired, strict=True):
        conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(retired_name)))
        if conn.execute("select 1 from pg_namespace where nspname = %s", [live_name]).fetchone():
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
    faults.point("serving.swapping")
    return attempt


def drop_retired(
    conn: psycopg.Connection, retired: tuple[str, ...], budget_ms: int, give_up_after_s: float
) -> bool:
    """After the commit: drop yesterday's schemas (readers queued on them re-resolve to the new mart and let
    go). False when it had to give up; the next load drops them."""
    deadline = time.monotonic() + give_up_after_s
    attempt = 0
    while True:
        attempt += 1
        try:
            with conn.transaction():
                conn.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(f"{budget_ms}ms")))
                for name in retired:
                    conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(name)))
            return True
        except RETRYABLE:
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.02 * attempt, 0.5))
