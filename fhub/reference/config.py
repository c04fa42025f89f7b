"""Adapter configuration for the real published files (``config/reference/sources.yml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from fhub.settings import PROJECT_DIR

CONFIG_FILE = PROJECT_DIR / "config" / "reference" / "sources.yml"

#: Parsed-column suffix per declared type.
TYPE_SUFFIX = {"integer": "_int", "decimal": "_num"}
SQL_TYPE = {"integer": "bigint", "decimal": "double"}


@dataclass(frozen=True)
class RefColumn:
    name: str  # column name in the ref table (text, as in the file)
    source: str  # exact header text expected in the file
    type: str = "text"  # text | integer | decimal

    @property
    def parsed_name(self) -> str | None:
        return self.name + TYPE_SUFFIX[self.type] if self.type in TYPE_SUFFIX else None


@dataclass(frozen=True)
class CodeCheck:
    column: str  # a landed column (text or parsed)
    lookup: str  # ons | dfe
    when: str | None = None  # SQL filter on the landed columns


@dataclass(frozen=True)
class SourceLayout:
    table: str
    publisher: str
    description: str
    files: tuple[str, ...]
    format: str  # csv | parquet | xlsx
    columns: tuple[RefColumn, ...]
    key: tuple[str, ...] = ()
    sheet: str | None = None
    header_row: int = 1
    code_checks: tuple[CodeCheck, ...] = ()
    forward_fill: dict | None = None

    @property
    def qualified(self) -> str:
        return f"ref.{self.table}"

    def table_columns(self) -> list[tuple[str, str]]:
        """(name, sql type) of every column of the ref table, lineage last."""
        cols: list[tuple[str, str]] = [(c.name, "varchar") for c in self.columns]
        cols += [(c.parsed_name, SQL_TYPE[c.type]) for c in self.columns if c.parsed_name]
        if self.forward_fill:
            cols.append((self.forward_fill["column"] + "_filled", "varchar"))
        cols += LINEAGE
        return cols


LINEAGE: list[tuple[str, str]] = [
    ("_source_file", "varchar"),
    ("_sha256", "varchar"),
    ("_row_number", "bigint"),
    ("_loaded_at", "timestamp"),
    ("_run_id", "varchar"),
]


@dataclass(frozen=True)
class ReferenceConfig:
    sources: tuple[SourceLayout, ...]
    missing_markers: tuple[str, ...] = field(default=("-",))

    def source(self, table: str) -> SourceLayout:
        for s in self.sources:
            if s.table == table:
                return s
        raise KeyError(table)


def load_config(path: Path | None = None) -> ReferenceConfig:
    """Read and validate the adapter configuration; a mistake names the entry and the key."""
    path = path or CONFIG_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = []
    seen: set[str] = set()
    for i, entry in enumerate(data["sources"]):
        where = f"{path}: sources[{i}] ({entry.get('table', '?')})"
        for required in ("table", "publisher", "files", "format", "columns"):
            if required not in entry:
                raise ValueError(f"{where}: missing key '{required}'")
        if entry["format"] not in ("csv", "parquet", "xlsx"):
            raise ValueError(f"{where}: format must be csv, parquet or xlsx, not {entry['format']!r}")
        if entry["table"] in seen:
            raise ValueError(f"{where}: table {entry['table']!r} is configured twice")
        seen.add(entry["table"])
        columns = []
        for c in entry["columns"]:
            col = RefColumn(
                name=c["name"], source=str(c.get("source", c["name"])), type=c.get("type", "text")
            )
            if col.type not in ("text", "integer", "decimal"):
                raise ValueError(f"{where}: column {col.name!r} has unknown type {col.type!r}")
            columns.append(col)
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{where}: duplicate column names {names}")
        sources.append(
            SourceLayout(
                table=entry["table"],
                publisher=entry["publisher"],
                description=entry.get("description", ""),
                files=tuple(entry["files"]),
                format=entry["format"],
                columns=tuple(columns),
                key=tuple(entry.get("key", ())),
                sheet=entry.get("sheet"),
                header_row=int(entry.get("header_row", 1)),
                code_checks=tuple(CodeCheck(**cc) for cc in entry.get("code_checks", ())),
                forward_fill=entry.get("forward_fill"),
            )
        )
    return ReferenceConfig(sources=tuple(sources), missing_markers=tuple(data.get("missing_markers", ("-",))))
