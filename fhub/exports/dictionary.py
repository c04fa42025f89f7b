"""The data dictionary of the published file, generated from the dbt docs: ``data-dictionary.md`` (one section
per relation: what a row is, then each column with its type and meaning) and ``data-dictionary.csv`` (one row per
relation x column: relation, relation_description, column_name, data_type, ees_col_type, description)."""

from __future__ import annotations

import csv
from pathlib import Path

from fhub.exports.docs import RelationDoc
from fhub.exports.ees import meta_rows

COLUMNS = ("relation", "relation_description", "column_name", "data_type", "ees_col_type", "description")


def _rows(docs: dict[str, RelationDoc]) -> list[dict[str, str]]:
    out = []
    for name in sorted(docs):
        doc = docs[name]
        kinds = {r["col_name"]: r["col_type"] for r in meta_rows(doc.types)}
        for column, dtype in doc.types.items():
            out.append({"relation": name, "relation_description": doc.description, "column_name": column,
                        "data_type": dtype, "ees_col_type": kinds.get(column, "observational unit"),
                        "description": doc.columns.get(column, "")})
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_dictionary(docs: dict[str, RelationDoc], folder: Path, run_id: str) -> list[Path]:
    rows = _rows(docs)
    csv_path, md_path = folder / "data-dictionary.csv", folder / "data-dictionary.md"
    with open(csv_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    lines = ["# Data dictionary of the published mart", "",
             f"Run `{run_id}`. Generated from the dbt documentation (`dbt-target/manifest.json`) and the tables the "
             "publish step writes itself. Each relation is exported as `<relation>.csv` + `<relation>.meta.csv` "
             "(Explore Education Statistics conventions) and `<relation>.parquet`.", ""]
    for name in sorted(docs):
        doc = docs[name]
        lines += [f"## `{name}`", "", doc.description or "(no description)", "",
                  "| column | type | EES | description |", "|---|---|---|---|"]
        lines += [f"| `{r['column_name']}` | {r['data_type']} | {r['ees_col_type']} | {_cell(r['description'])} |"
                  for r in rows if r["relation"] == name]
        lines.append("")
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [md_path, csv_path]
