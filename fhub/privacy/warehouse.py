"""Needle search and export safety, shared by tests and exports.

Identifier-like substrings are found by :mod:`fhub.privacy.scan_duckdb` (a DuckDB catalog, set-based) and
:mod:`fhub.privacy.scan_files` (every other artefact), both built on :mod:`fhub.privacy.identifiers`.

* :func:`nhs_check_digit_valid` - the modulus 11 check (a typo fails it, and is still personal data).
* :func:`find_needles` looks for specific strings (e.g. the names a test fixture used).
* :func:`csv_safe_select` builds a SELECT that neutralises spreadsheet formulas in text cells.
"""

from __future__ import annotations

import re

import duckdb

FORMULA_PREFIXES = ("=", "+", "-", "@")


def nhs_check_digit_valid(text: str) -> bool:
    digits = [int(ch) for ch in text if ch.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def _text_columns(
    con: duckdb.DuckDBPyConnection, catalog: str | None, skip_schemas: tuple[str, ...] = ()
) -> list[tuple[str, str, str, str]]:
    where = "data_type = 'VARCHAR'"
    params: list[str] = []
    for schema in skip_schemas:
        where += " and table_schema <> ?"
        params.append(schema)
    if catalog:
        where += " and table_catalog = ?"
        params.append(catalog)
    else:
        where += " and table_catalog = current_database()"
    return con.execute(
        f"select table_catalog, table_schema, table_name, column_name from information_schema.columns "
        f"where {where} and table_schema not in ('information_schema', 'pg_catalog') order by all",
        params,
    ).fetchall()


def find_needles(
    con: duckdb.DuckDBPyConnection,
    needles: list[str],
    *,
    catalog: str | None = None,
    skip_schemas: tuple[str, ...] = (),
) -> list[str]:
    """Columns containing any of ``needles`` as a whole word (case-insensitive): 'Smith' is found in
    'Amelia Smith' but not in 'Hammersmith'."""
    if not needles:
        return []
    findings: list[str] = []
    patterns = [r"\b" + re.escape(n.lower()) + r"\b" for n in needles]
    con.execute(
        "create or replace temp table _needles as select unnest(?) as n, unnest(?) as p",
        [list(needles), patterns],
    )
    for cat, schema, table, column in _text_columns(con, catalog, skip_schemas):
        if schema == "temp" or table == "_needles":
            continue
        ref = f'"{cat}"."{schema}"."{table}"'
        hit = con.execute(
            f'select n from _needles join (select distinct lower("{column}") as v from {ref}) as t '
            "on contains(t.v, lower(n)) and regexp_matches(t.v, p) limit 1"
        ).fetchone()
        if hit:
            findings.append(f"{schema}.{table}.{column} contains {hit[0]!r}")
    con.execute("drop table _needles")
    return findings


def neutralise_formula(value: str | None) -> str | None:
    """Prefix an apostrophe to cells a spreadsheet would execute (=, +, -, @)."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


def csv_safe_select(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """``select`` list over ``relation`` with every text column formula-neutralised."""
    cols = con.execute(f"describe {relation}").fetchall()
    parts = []
    for name, dtype, *_ in cols:
        quoted = f'"{name}"'
        if dtype == "VARCHAR":
            parts.append(
                f"case when left({quoted}, 1) in ('=', '+', '-', '@') then '''' || {quoted} else {quoted} end "
                f"as {quoted}"
            )
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from {relation}"
