"""Write every export of the assembled public file into a folder, then check the EES pairs."""

from __future__ import annotations

from pathlib import Path

import duckdb

from fhub.exports.dictionary import write_dictionary
from fhub.exports.docs import relation_docs
from fhub.exports.ees import write_ees_csv
from fhub.exports.ees_check import check_export_folder, failures
from fhub.exports.parquet import write_parquet
from fhub.exports.workbooks import write_workbooks


class ExportRefused(RuntimeError):
    """An export broke Explore Education Statistics' rules (a bug here): nothing is published."""


def write_export_files(staging: Path, folder: Path, run_id: str, tables: list[str], *,
                       dbt_target: Path | None = None, code_version: str = "") -> dict[str, list[Path]]:
    """CSV + meta.csv, Parquet, borough workbooks and the data dictionary of ``tables`` into ``folder``."""
    written: dict[str, list[Path]] = {}
    con = duckdb.connect(str(staging), read_only=True)
    try:
        docs = relation_docs(con, tables, dbt_target)
        for name in tables:
            written[name] = [*write_ees_csv(con, name, docs[name].types, folder),
                             write_parquet(con, docs[name], folder / f"{name}.parquet", run_id)]
        written["workbooks"] = write_workbooks(con, docs, folder / "workbooks", run_id, code_version)
        written["data_dictionary"] = write_dictionary(docs, folder, run_id)
    finally:
        con.close()
    problems = failures(check_export_folder(folder))
    if problems:
        raise ExportRefused("exports break the EES data-file rules: " + "; ".join(problems[:10]))
    return written
