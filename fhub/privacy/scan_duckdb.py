"""Scan a DuckDB catalog for identifier-like substrings, set-based, and redact what was found.

Per relation, ONE query unpivots its text columns, keeps the values the RE2 pre-filter lets through
(:func:`~fhub.privacy.duckdb_functions.may_hold_identifier_sql`) and asks ``fhub_identifier_kinds`` - the
Python definition - about those only, grouped by distinct value; the few values found are described in Python
by kind and masked shape (:func:`~fhub.privacy.findings.kinds_and_shapes`). Nothing returned holds a value.

Rows are attributed to the delivery scope they came from (borough x extract x period) by their columns:
``borough_code``/``_borough_code`` (or ``geography_code`` on a ``geography_level = 'borough'`` row),
``extract_type``/``_extract_type``, ``period``/``_period``/``academic_year``; a relation with only a delivery id
(``delivery_id``/``_delivery_id``) is attributed through ``delivery_scopes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb

from fhub.privacy import duckdb_functions
from fhub.privacy.findings import Finding, Scope, kinds_and_shapes, merge

#: Scope columns, in order of preference.
_BOROUGH = ("borough_code", "_borough_code")
_EXTRACT = ("extract_type", "_extract_type")
_PERIOD = ("period", "_period", "academic_year")
_DELIVERY = ("delivery_id", "_delivery_id")
TEXT_TYPES = ("VARCHAR",)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: Work-file columns holding a delivery's original file name, which stays in the work file by design (published
#: records name a delivery by its label): not scanned there.
FILE_NAME_COLUMNS = ("source_file", "_source_file")


@dataclass(frozen=True)
class Relation:
    catalog: str
    schema: str
    name: str
    text_columns: tuple[str, ...]
    all_columns: tuple[str, ...]

    @property
    def ref(self) -> str:
        return f"{q(self.catalog)}.{q(self.schema)}.{q(self.name)}"

    @property
    def label(self) -> str:
        return self.name if self.schema == "main" else f"{self.schema}.{self.name}"


def relations(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[Relation]:
    """Every table and view of ``catalog`` (default: the current database) with its text columns."""
    cat = catalog or con.execute("select current_database()").fetchone()[0]
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema not in ('information_schema', 'pg_catalog') "
        "order by table_schema, table_name, ordinal_position", [cat]).fetchall()
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, dtype in rows:
        grouped.setdefault((schema, table), []).append((column, dtype))
    return [Relation(cat, schema, table, tuple(c for c, t in cols if t in TEXT_TYPES), tuple(c for c, _ in cols))
            for (schema, table), cols in grouped.items()]


def _first(columns: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in columns), None)


def _scope_exprs(rel: Relation) -> list[str]:
    cols = rel.all_columns
    borough = _first(cols, _BOROUGH)
    if borough:
        b = f"cast({q(borough)} as varchar)"
    elif "geography_code" in cols and "geography_level" in cols:
        b = "case when geography_level = 'borough' then geography_code end"
    else:
        b = "null"
    extract, period, delivery = _first(cols, _EXTRACT), _first(cols, _PERIOD), _first(cols, _DELIVERY)
    return [f"{b}::varchar",
            f"cast({q(extract)} as varchar)" if extract else "null::varchar",
            f"cast({q(period)} as varchar)" if period else "null::varchar",
            f"cast({q(delivery)} as varchar)" if delivery else "null::varchar"]


def scan_relation(con: duckdb.DuckDBPyConnection, rel: Relation, columns: Iterable[str], *, artefact: str,
                  where: str | None = None, delivery_scopes: dict[str, Scope] | None = None) -> list[Finding]:
    """Findings in ``columns`` (text columns) of ``rel``; ``where`` restricts the rows (SQL on ``rel``)."""
    columns = [c for c in columns if c in rel.text_columns]
    if not columns:
        return []
    scope = _scope_exprs(rel)
    select = ", ".join([f"{q(c)} as {q('c_' + c)}" for c in columns]
                       + [f"{e} as {n}" for e, n in zip(scope, ("_sb", "_se", "_sp", "_sd"), strict=True)])
    on = ", ".join(q("c_" + c) for c in columns)
    may = duckdb_functions.may_hold_identifier_sql
    any_column = " or ".join(may(q(c)) for c in columns)
    rows_where = f"({where}) and ({any_column})" if where else any_column
    rows = con.execute(f"""
        with candidate_rows as materialized (
            select {select} from {rel.ref} where {rows_where}
        ),
        candidates as materialized (
            select col, v, _sb, _se, _sp, _sd, count(*) as n
            from (unpivot candidate_rows on {on} into name col value v)
            where {may('v')}
            group by all
        )
        select col, v, _sb, _se, _sp, _sd, n from candidates where fhub_identifier_kinds(v) is not null
    """).fetchall()
    found: list[Finding] = []
    for col, value, borough, extract, period, delivery, n in rows:
        where_from = Scope(borough, extract, period)
        if not where_from.attributed and delivery and delivery_scopes:
            where_from = delivery_scopes.get(delivery, where_from)
        for kind, masked in kinds_and_shapes(value):
            found.append(Finding(artefact, f"{rel.label}.{col[2:]}", kind, masked, n,
                                 where_from if (where_from.borough_code or where_from.extract_type) else None))
    return found


#: Decides which columns of a relation are scanned: ``(relation, column) -> bool``.
ColumnFilter = Callable[[Relation, str], bool]


def scan_catalog(con: duckdb.DuckDBPyConnection, *, artefact: str, catalog: str | None = None,
                 include: ColumnFilter | None = None, where: dict[str, str] | None = None,
                 delivery_scopes: dict[str, Scope] | None = None) -> list[Finding]:
    """Scan every text column of every relation of ``catalog`` that ``include`` accepts (default: all).
    ``where``: ``{"schema.table": predicate}`` restricting rows of some relations."""
    duckdb_functions.register(con)
    found: list[Finding] = []
    for rel in relations(con, catalog):
        cols = [c for c in rel.text_columns if include is None or include(rel, c)]
        predicate = (where or {}).get(f"{rel.schema}.{rel.name}")
        found += scan_relation(con, rel, cols, artefact=artefact, where=predicate, delivery_scopes=delivery_scopes)
    return merge(found)


def redact(con: duckdb.DuckDBPyConnection, findings: list[Finding], catalog: str | None = None) -> int:
    """Replace every identifier-like substring in the columns named by ``findings`` (tables of ``catalog``)
    with its tag (``fhub_scrub``). Returns the number of cells changed."""
    duckdb_functions.register(con)
    cat = catalog or con.execute("select current_database()").fetchone()[0]
    changed = 0
    for location in sorted({f.location for f in findings}):
        table, column = location.rsplit(".", 1)
        schema, name = table.split(".", 1) if "." in table else ("main", table)
        ref, col = f"{q(cat)}.{q(schema)}.{q(name)}", q(column)
        res = con.execute(
            f"update {ref} set {col} = fhub_scrub({col}) where {duckdb_functions.may_hold_identifier_sql(col)} "
            f"and fhub_identifier_kinds({col}) is not null").fetchone()
        changed += int(res[0]) if res else 0
    return changed
