"""Every input file of a published vintage, for the run manifest (issue 16, point 7).

Borough deliveries are named by delivery id and label (``hackney contacts 2024-05 (delivery 3f2a91c0)``,
:mod:`fhub.landing.labels`) - never by the file name as delivered, which is personal data until proven
otherwise (docs/privacy.md). Reference files are named by the table they land in, with the publisher's release
from ``config/reference/downloads.yml``. Each carries its sha256 and size in bytes, so anyone holding a file
can tell whether it is the one a published figure was built from.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fhub.dq.schema import table_exists
from fhub.landing.labels import delivery_label

#: Statuses of a borough delivery (landing.deliveries.status): ``landed`` is in use tonight.
IN_USE = "landed"


def borough_deliveries(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One entry per delivered file (landing.deliveries), in use or not, oldest first."""
    if not table_exists(con, "landing", "deliveries"):
        return []
    rows = con.execute(
        "select delivery_id, borough_slug, borough_code, extract_type, period, sha256, size_bytes, status, "
        "rows_landed, run_id, delivery_label from landing.deliveries order by loaded_at, delivery_id"
    ).fetchall()
    out = []
    for (delivery_id, slug, code, extract, period, sha, size, status, rows_landed, run_id, label) in rows:
        out.append({
            "delivery_id": delivery_id,
            "delivery_label": label or delivery_label(slug, extract, period, delivery_id),
            "borough_code": code,
            "extract": extract,
            "period": period,
            "sha256": sha,
            "size_bytes": size,
            "status": status,
            "in_use": status == IN_USE,
            "rows_landed": rows_landed,
            "first_landed_run_id": run_id,
        })
    return out


def _releases(downloads_file: Path | None) -> dict[str, tuple[str, str]]:
    from fhub.reference.pins import load_downloads

    try:
        return {d.table: (d.publisher, d.release) for d in load_downloads(downloads_file)}
    except (OSError, ValueError):
        return {}


def reference_files(con: duckdb.DuckDBPyConnection, downloads_file: Path | None = None) -> list[dict]:
    """The reference file each ``ref.*`` table holds now (its latest landed version), with its release."""
    if not table_exists(con, "ref", "reference_files"):
        return []
    rows = con.execute(
        "select table_name, sha256, size_bytes, file_format, rows_landed, run_id from ref.reference_files "
        "where status = 'landed' qualify row_number() over (partition by table_name order by loaded_at desc) = 1 "
        "order by table_name"
    ).fetchall()
    releases = _releases(downloads_file)
    out = []
    for table, sha, size, fmt, rows_landed, run_id in rows:
        publisher, release = releases.get(table, (None, None))
        out.append({
            "table": f"ref.{table}", "publisher": publisher, "release": release, "sha256": sha,
            "size_bytes": size, "file_format": fmt, "rows_landed": rows_landed, "landed_run_id": run_id,
        })
    return out


def manifest_inputs(work_db: Path, code_version: str | None = None,
                    downloads_file: Path | None = None) -> dict:
    """The manifest's ``inputs`` section: every borough delivery and reference file, and the code version."""
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        deliveries = borough_deliveries(con)
        references = reference_files(con, downloads_file)
    finally:
        con.close()
    return {
        "code_version": code_version,
        "borough_deliveries": deliveries,
        "borough_deliveries_in_use": sum(1 for d in deliveries if d["in_use"]),
        "reference_files": references,
    }
