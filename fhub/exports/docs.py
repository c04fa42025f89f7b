"""What each published relation and column means: the dbt docs (``dbt-target/manifest.json``), falling back
to the comments the publish step wrote into the file itself (``published_history``, ``dq_withholdings``,
``run_manifest``, ``privacy_audit``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass
class RelationDoc:
    name: str
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # column -> description
    types: dict[str, str] = field(default_factory=dict)  # column -> DuckDB type, in table order


def _file_docs(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, RelationDoc]:
    docs = {t: RelationDoc(t) for t in tables}
    for name, comment in con.execute("select table_name, comment from duckdb_tables() where schema_name = 'main'"
                                     ).fetchall():
        if name in docs:
            docs[name].description = " ".join((comment or "").split())
    for table, column, dtype, comment in con.execute(
        "select table_name, column_name, data_type, comment from duckdb_columns() where schema_name = 'main' "
        "order by table_name, column_index"
    ).fetchall():
        if table in docs:
            docs[table].types[column] = dtype
            if comment:
                docs[table].columns[column] = " ".join(comment.split())
    return docs


def relation_docs(con: duckdb.DuckDBPyConnection, tables: list[str], dbt_target: Path | None) -> dict[str, RelationDoc]:
    """Documentation of ``tables`` of the open public file ``con``."""
    docs = _file_docs(con, tables)
    if dbt_target is None:
        return docs
    from fhub.dbt.contract import ContractError
    from fhub.serving.comments import read_dbt_descriptions
    from fhub.serving.relations import servable_relations

    try:
        servable = servable_relations(dbt_target)
    except ContractError:
        return docs
    described = read_dbt_descriptions(Path(dbt_target) / "manifest.json")
    for name, doc in docs.items():
        comment = described.for_public(name, servable)
        doc.description = comment.table or doc.description
        doc.columns = {**doc.columns, **{c: d for c, d in comment.columns.items() if d and c in doc.types}}
    return docs
