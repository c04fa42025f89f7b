"""Failing-row samples for ``dq.check_results.failing_sample`` (issue 16, point 6): row numbers and
pseudonymised keys only, never a raw value.

A sample is a JSON list of at most :data:`SAMPLE_SIZE` strings, each one of

* ``row 12`` - a row number: of the delivered file (landing checks: the row the receipt names), of the
  suite's input table in ``work/gx_inputs.duckdb`` (GX: column ``gx_row``), or the lineage row number
  ``_row_number`` of a failing dbt test's row (with its delivery: ``delivery 3f2a91c0 row 12``);
* the first 16 hex characters of a keyed hash (columns named ``*_key``: person, family, pupil keys).

Anything else a failing row holds - codes, dates, free text, counts - is never copied into a sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import duckdb

#: At most this many entries are kept as the failing-row sample.
SAMPLE_SIZE = 10
#: A keyed hash (HMAC-SHA256) or a delivery id (sha256): 64 hex characters, at least one a letter (so no long
#: number - a phone, a card - ever passes as a key).
_HEX = re.compile(r"(?=[0-9]*[a-f])[0-9a-f]{64}")
#: Lineage columns that number a row of its delivered file.
ROW_COLUMNS = ("_row_number", "row_number", "gx_row")
DELIVERY_COLUMNS = ("_delivery_id", "delivery_id")


def row_entries(numbers: Iterable[int | None], delivery_id: str | None = None) -> list[str]:
    """``row N`` entries (``delivery <8 hex> row N`` when the delivery is given), first :data:`SAMPLE_SIZE`."""
    out: list[str] = []
    for number in numbers:
        if number is None:
            continue
        prefix = f"delivery {delivery_id[:8]} " if delivery_id and _HEX.fullmatch(delivery_id) else ""
        out.append(f"{prefix}row {int(number)}")
        if len(out) == SAMPLE_SIZE:
            break
    return out


def key_entry(value) -> str | None:
    """A keyed hash shortened to 16 hex characters; None for anything that is not one."""
    text = str(value or "").strip().lower()
    return text[:16] if _HEX.fullmatch(text) else None


def sample_of_rows(rows: Iterable[Mapping], key_columns: Iterable[str] = ()) -> list[str]:
    """A sample from failing rows given as mappings: their row numbers where a row-number column exists, else
    their keyed hashes (columns named ``*_key``, or ``key_columns`` known to hold keys)."""
    keys = tuple(key_columns)
    out: list[str] = []
    for row in rows:
        column = next((c for c in ROW_COLUMNS if row.get(c) is not None), None)
        entry = None
        if column is not None:
            try:  # a lineage row number names its delivery; gx_row is a row of the suite's own input table
                delivery = next((str(row[c]) for c in DELIVERY_COLUMNS if row.get(c)), None)
                entry = row_entries([int(row[column])], delivery if column == "_row_number" else None)[0]
            except (TypeError, ValueError):
                entry = None
        if entry is None:
            entry = next((key_entry(row[c]) for c in row if (str(c).endswith("_key") or c in keys)
                          and key_entry(row[c])), None)
        if entry is not None and entry not in out:
            out.append(entry)
        if len(out) == SAMPLE_SIZE:
            break
    return out


def sample_of_query(con: duckdb.DuckDBPyConnection, sql: str, key_columns: Iterable[str] = ()) -> list[str]:
    """Run a failing test's own query (e.g. a dbt test's compiled SQL) and sample its rows; [] if it cannot
    run here (the error is not kept: it could quote data)."""
    try:
        cur = con.execute(f"select * from ({sql.strip().rstrip(';')}) as failing limit {SAMPLE_SIZE * 5}")  # noqa: S608
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    except duckdb.Error:
        return []
    return sample_of_rows(rows, key_columns)


def landing_row_sample(con: duckdb.DuckDBPyConnection, table: str, delivery_id: str) -> list[str]:
    """Row numbers of a delivery's rejected (``landing.rejects``) or warned (``landing.warnings``) rows."""
    if table not in ("landing.rejects", "landing.warnings"):
        raise ValueError(f"not a landing problem table: {table}")
    try:
        rows = con.execute(
            f"select distinct row_number from {table} where delivery_id = ? and row_number is not null "  # noqa: S608
            f"order by row_number limit {SAMPLE_SIZE}",
            [delivery_id],
        ).fetchall()
    except duckdb.CatalogException:  # no landing tables in this work file
        return []
    return row_entries(r[0] for r in rows)
