"""Parquet exports carrying their documentation: the table's description and every column's description (from
the dbt docs) in the file's key-value metadata, so a reader of the file alone knows what each column means.

File-level keys: ``fhub.relation``, ``fhub.description``, ``fhub.run_id`` and ``fhub.column_descriptions`` (a JSON
object column -> description); each field also carries its own ``description`` (Arrow field metadata).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from fhub.exports.docs import RelationDoc


def write_parquet(con: duckdb.DuckDBPyConnection, doc: RelationDoc, path: Path, run_id: str) -> Path:
    table: pa.Table = con.execute(f'select * from main."{doc.name}"').fetch_arrow_table()  # noqa: S608
    fields = [field.with_metadata({b"description": doc.columns.get(field.name, "").encode("utf-8")})
              for field in table.schema]
    metadata = {
        **(table.schema.metadata or {}),
        b"fhub.relation": doc.name.encode(),
        b"fhub.description": doc.description.encode("utf-8"),
        b"fhub.run_id": run_id.encode(),
        b"fhub.column_descriptions": json.dumps(
            {name: doc.columns.get(name, "") for name in table.column_names}, ensure_ascii=False
        ).encode("utf-8"),
    }
    table = pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=metadata))
    pq.write_table(table, path, compression="snappy")
    return path


def column_descriptions(path: Path) -> dict[str, str]:
    """Read them back (for tests and users): column -> description from the file's key-value metadata."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(b"fhub.column_descriptions", b"{}").decode("utf-8"))
