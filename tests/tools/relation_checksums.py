"""Per-relation checksums of a DuckDB file, ignoring run ids and timestamps: "same rows before and after".

A restructuring that must not change behaviour records the checksums of the demo's published file before it
starts and compares them after::

    make run && .venv/bin/python -m tests.tools.relation_checksums data/published/warehouse.duckdb \\
        --out /tmp/before.json
    # ... change things, then from a clean data folder:
    make clean run && .venv/bin/python -m tests.tools.relation_checksums data/published/warehouse.duckdb \\
        --out /tmp/after.json --compare /tmp/before.json
    # a relation that differs: which rows
    .venv/bin/python -m tests.tools.relation_checksums OLD.duckdb --diff NEW.duckdb --relation main.x

What a checksum covers, per relation (table or view): the row count; the column names and types in order
(less the volatile columns); the table comment; and an order-independent sum of the md5 of every row's
canonical text. Canonical text: every kept column cast to text, null written as ``\\N``, floating-point
values written with 9 significant digits (so the last bits of a sum taken in another order do not count).
Volatile columns - run ids, load/receive/check/publish times, the run manifest's JSON - are left out by name.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

#: Columns whose values change from run to run by design (ids and clocks), never by what the code computes.
VOLATILE_COLUMNS = frozenset(
    {
        "run_id",
        "_run_id",
        "previous_run_id",
        "manifest_json",
        "loaded_at",
        "_loaded_at",
        "received_at",
        "published_at",
        "checked_at",
        "generated_at",
        "snapshot_at",
        "quarantined_at",
        "started_at",
        "finished_at",
        "code_version",
    }
)
_FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
_SKIPPED_SCHEMAS = {"information_schema", "pg_catalog"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _canonical(column: str, data_type: str) -> str:
    col = _quote(column)
    if data_type in _FLOAT_TYPES:
        text = f"printf('%.9g', {col})"
    else:
        text = f"cast({col} as varchar)"
    return f"coalesce({text}, '\\N')"


def relations(con: duckdb.DuckDBPyConnection, schemas: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(schema, name, comment) of every table and view of the file's own catalog, sorted."""
    rows = con.execute(
        """
        select schema_name, table_name, coalesce(comment, '') from duckdb_tables()
        where database_name = current_database()
        union all
        select schema_name, view_name, coalesce(comment, '') from duckdb_views()
        where database_name = current_database() and not internal
        order by 1, 2
        """
    ).fetchall()
    return [
        (schema, name, comment)
        for schema, name, comment in rows
        if schema not in _SKIPPED_SCHEMAS and (not schemas or schema in schemas)
    ]


def relation_checksum(con: duckdb.DuckDBPyConnection, schema: str, name: str, comment: str = "") -> dict:
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, name],
    ).fetchall()
    kept = [(c, t) for c, t in columns if c.lower() not in VOLATILE_COLUMNS]
    relation = f"{_quote(schema)}.{_quote(name)}"
    if kept:
        row_text = "concat_ws(chr(31), " + ", ".join(_canonical(c, t) for c, t in kept) + ")"
        rows, lower, upper = con.execute(
            f"select count(*), coalesce(sum(md5_number_lower({row_text})), 0), "
            f"coalesce(sum(md5_number_upper({row_text})), 0) from {relation}"
        ).fetchone()
    else:
        rows, lower, upper = con.execute(f"select count(*), 0, 0 from {relation}").fetchone()
    return {
        "rows": int(rows),
        "columns": [f"{c} {t}" for c, t in kept],
        "ignored_columns": sorted(c for c, _ in columns if c.lower() in VOLATILE_COLUMNS),
        "comment": comment,
        "checksum": f"{int(lower):x}-{int(upper):x}",
    }


def checksums(path: Path, schemas: list[str] | None = None, catalog: str | None = None) -> dict[str, dict]:
    """``{"schema.relation": {...}}`` for every relation of the file (read-only). ``catalog``: attach the file
    under this name instead (a copy of the work file must be read as ``warehouse``: its views name it)."""
    if catalog:
        con = duckdb.connect()
        con.execute(f"attach '{path}' as {_quote(catalog)} (read_only)")
        con.execute(f"use {_quote(catalog)}")
    else:
        con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            f"{schema}.{name}": relation_checksum(con, schema, name, comment)
            for schema, name, comment in relations(con, schemas)
        }
    finally:
        con.close()


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Human-readable differences (empty: every relation identical)."""
    problems = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            problems.append(f"{rel}: missing after")
        elif rel not in before:
            problems.append(f"{rel}: new after")
        else:
            for field in ("rows", "columns", "comment", "checksum"):
                if before[rel][field] != after[rel][field]:
                    problems.append(
                        f"{rel}: {field} differs ({before[rel][field]!r} -> {after[rel][field]!r})"
                    )
    return problems


def diff_rows(old: Path, new: Path, relation: str, limit: int = 20) -> list[tuple[str, tuple]]:
    """Rows of ``relation`` only in ``old`` ('-') or only in ``new`` ('+'), compared as the checksum compares
    them (volatile columns left out, floats to 9 significant digits): the rows behind a differing checksum."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{old}' as old_db (read_only)")
        con.execute(f"attach '{new}' as new_db (read_only)")
        schema, name = relation.split(".", 1)
        columns = [
            (c, t)
            for c, t in con.execute(
                "select column_name, data_type from information_schema.columns where table_catalog = 'old_db' "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            if c.lower() not in VOLATILE_COLUMNS
        ]
        cols = ", ".join(f"{_canonical(c, t)} as {_quote(c)}" for c, t in columns)
        rel = f"{_quote(schema)}.{_quote(name)}"
        out: list[tuple[str, tuple]] = []
        for sign, first, second in (("-", "old_db", "new_db"), ("+", "new_db", "old_db")):
            rows = con.execute(
                f"select {cols} from {first}.{rel} except all select {cols} from {second}.{rel} limit {limit}"
            ).fetchall()
            out.extend((sign, row) for row in rows)
        return out
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_file", type=Path)
    parser.add_argument("--schema", action="append", help="only these schemas (repeatable)")
    parser.add_argument("--out", type=Path, help="write the checksums as JSON here")
    parser.add_argument("--compare", type=Path, help="JSON written earlier: report every difference")
    parser.add_argument(
        "--diff", type=Path, help="another DuckDB file: print the rows of --relation that differ"
    )
    parser.add_argument("--relation", help="schema.relation for --diff")
    parser.add_argument("--catalog", help="attach the file under this name (a copied work file: warehouse)")
    args = parser.parse_args(argv)

    if args.diff:
        for sign, row in diff_rows(args.duckdb_file, args.diff, args.relation):
            print(sign, row)
        return 0
    result = checksums(args.duckdb_file, args.schema, args.catalog)
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    width = max((len(r) for r in result), default=0)
    for rel, info in result.items():
        print(f"{rel:<{width}}  {info['rows']:>9} rows  {info['checksum']}")
    if args.compare:
        problems = compare(json.loads(args.compare.read_text()), result)
        for problem in problems:
            print("DIFFERS:", problem)
        print(
            f"{len(result)} relations compared: "
            + ("all identical" if not problems else f"{len(problems)} differences")
        )
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
