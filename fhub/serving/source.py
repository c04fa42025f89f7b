"""What a load reads: the published DuckDB file (and, for the restricted figures, the work file), read-only.

Rows leave DuckDB as Arrow batches and are written as CSV by Arrow's C++ writer straight into PostgreSQL's
``COPY ... FROM STDIN`` - no temporary files, no Python per row, memory bounded by one batch. DuckDB types map
to their PostgreSQL equivalents; nested and exotic types are served as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

BATCH_ROWS = 250_000

_SIMPLE_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "HUGEINT": "numeric(39,0)",
    "UHUGEINT": "numeric(39,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "UUID": "uuid",
    "INTERVAL": "interval",
    "BLOB": "bytea",
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


def quote_duck(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str
    pg_type: str

    @property
    def select_expr(self) -> str:
        """How DuckDB hands the column over so PostgreSQL reads the CSV text back exactly."""
        col = quote_duck(self.name)
        if self.duckdb_type.startswith("TIMESTAMP_"):
            return f"cast({col} as timestamp)"
        if self.duckdb_type == "BLOB":
            return f"'\\x' || hex({col})"
        if self.pg_type in ("text", "interval", "uuid") and self.duckdb_type != "VARCHAR":
            return f"cast({col} as varchar)"
        return col


def pg_type_of(duckdb_type: str) -> str:
    """PostgreSQL column type for a DuckDB type (lists, structs, maps, enums, unions: text)."""
    upper = duckdb_type.upper()
    if upper in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[upper]
    match = _DECIMAL.match(upper)
    if match:
        return f"numeric({match.group(1)},{match.group(2)})"
    return "text"


@dataclass
class SourceTable:
    """One table to load: its name in PostgreSQL, columns and the DuckDB query yielding its rows."""

    name: str
    columns: list[Column]
    query: str  # selects exactly ``columns`` in order
    rows: int

    @property
    def select_list(self) -> str:
        return ", ".join(c.select_expr for c in self.columns)


@dataclass
class MartFiles:
    """The files a load reads: the published mart and the work file behind it (for restricted figures)."""

    published: Path
    work: Path | None = None


@dataclass
class OpenedSource:
    con: duckdb.DuckDBPyConnection
    run_id: str
    work_attached: bool
    skipped_undeclared: list[str] = field(default_factory=list)

    def describe(self, name: str, query: str) -> SourceTable:
        described = self.con.execute(f"describe {query}").fetchall()  # noqa: S608 - our own SQL
        columns = [Column(row[0], str(row[1]), pg_type_of(str(row[1]))) for row in described]
        rows = self.con.execute(f"select count(*) from ({query})").fetchone()[0]  # noqa: S608
        return SourceTable(name=name, columns=columns, query=query, rows=int(rows))

    def public_tables(self, servable: Iterable[str]) -> list[SourceTable]:
        """Every table of the published file named in ``servable``, by name; anything else is skipped."""
        present = [
            r[0]
            for r in self.con.execute(
                "select table_name from information_schema.tables where table_catalog = current_database() "
                "and table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        allowed = set(servable)
        self.skipped_undeclared = [t for t in present if t not in allowed]
        return [self.describe(t, f"select * from main.{quote_duck(t)}") for t in present if t in allowed]

    def csv_chunks(self, table: SourceTable) -> Iterator[memoryview]:
        """The table's rows as CSV (no header; empty unquoted = NULL, ``""`` = empty text), batch by batch."""
        reader = self.con.execute(f"select {table.select_list} from ({table.query})").to_arrow_reader(  # noqa: S608
            BATCH_ROWS
        )
        options = pa_csv.WriteOptions(include_header=False)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(batch, sink, options)
            yield memoryview(sink.getvalue())

    def close(self) -> None:
        self.con.close()


def open_source(files: MartFiles) -> OpenedSource:
    """Open the published file read-only, attach the work file read-only when it exists."""
    con = duckdb.connect(str(files.published), read_only=True)
    try:
        has_manifest = con.execute(
            "select count(*) from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'main' and table_name = 'run_manifest'"
        ).fetchone()[0]
        run = con.execute("select run_id from main.run_manifest limit 1").fetchone() if has_manifest else None
        run_id = str(run[0]) if run else ""
        attached = False
        if files.work is not None and Path(files.work).exists():
            path = str(files.work).replace("'", "''")
            con.execute(f"attach '{path}' as work (read_only)")
            attached = True
    except Exception:
        con.close()
        raise
    return OpenedSource(con=con, run_id=run_id, work_attached=attached)
