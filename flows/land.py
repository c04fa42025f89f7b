"""Flow ``land``: borough extracts and real reference files into the work DuckDB file."""

from __future__ import annotations

import os

from prefect import flow, task

from fhub import faults
from fhub.privacy.vault import resolve_originals_key
from fhub.pseudonymise import resolve_key
from fhub.reference.folder import ReferenceFolder, choose_from_settings
from fhub.settings import Paths
from flows._common import progress_logger, retry_on_io_error


@task(name="land-reference-files", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_reference_files(paths: Paths, run_id: str, folder: ReferenceFolder) -> dict:
    from fhub.reference import land_reference

    say = progress_logger("reference: ")
    say(folder.explanation)
    result = land_reference(
        paths, run_id, real_dir=folder.path, pins=folder.pins, absent_reason=folder.explanation, progress=say
    )
    return {
        "summary": result.summary(),
        "folder": folder.origin,
        "issues_by_kind": result.as_dict().get("issue_counts"),
    }


@task(name="land-borough-extracts", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_borough_extracts(paths: Paths, run_id: str, mode: str) -> dict:
    from fhub.landing import land_all
    from fhub.landing.incoming import ENV_VAR, incoming_policy

    key, key_label = resolve_key(mode, use_prefect=True)
    originals_key = resolve_originals_key(mode, use_prefect=True)
    after = incoming_policy(os.environ.get(ENV_VAR))
    say = progress_logger("land: ")

    def progress(message: str) -> None:
        say(message)
        faults.point("land.mid")  # fault-injection hook; no-op unless FHUB_FAULT_AT=land.mid

    result = land_all(paths, run_id, key, key_label=key_label, progress=progress, originals_key=originals_key,
                      incoming_after=after)
    if result.removed_from_incoming:
        say(f"{len(result.removed_from_incoming):,} delivered file(s) removed from incoming/ (kept encrypted in "
            f"archive/ or quarantine/; {ENV_VAR}={after})")
    return {
        "summary": result.summary(),
        "rows_delivered": result.rows_delivered,
        "rows_landed": result.rows_landed,
        "rows_rejected": result.rows_rejected,
        # labels (borough, extract, period, delivery id), never file names: this reaches the run summary,
        # the manifest and Prefect's database
        "quarantined": [d.label for d in result.quarantined],
        "removed_from_incoming": len(result.removed_from_incoming),
        "receipts": [str(r) for r in result.receipts],
    }


@task(name="originals-housekeeping", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def originals_housekeeping(paths: Paths, run_id: str, mode: str) -> dict:
    """Encrypt any plaintext original an older version left, and purge originals past the retention period
    (each with a row in ``landing.originals_purged``)."""
    from fhub.landing import open_work_db
    from fhub.privacy.originals import (
        RETENTION_ENV,
        encrypt_plaintext_originals,
        purge_expired,
        retention_days,
    )

    days = retention_days(os.environ.get(RETENTION_ENV))
    encrypted = encrypt_plaintext_originals(paths, resolve_originals_key(mode, use_prefect=True))
    con = open_work_db(paths)
    try:
        purge = purge_expired(con, paths, run_id, days)
    finally:
        con.close()
    say = progress_logger("originals: ")
    if encrypted:
        say(f"{encrypted} plaintext original(s) from an earlier version encrypted")
    say(purge.summary(days))
    return {"encrypted_plaintext": encrypted, "purged": len(purge.purged), "retention_days": days}


@task(name="prepare-work-file")
def prepare_work_file(paths: Paths) -> None:
    """Every dbt source must exist before the first build, even when nothing of its kind has landed:
    the dq history tables, the ref tables (when reference landing is skipped) and the extra participants."""
    import duckdb

    from fhub.dq import ensure_dq_schema
    from fhub.landing.participants import ensure_participant_tables
    from fhub.reference import ensure_reference_tables

    con = duckdb.connect(str(paths.work_db))
    try:
        ensure_dq_schema(con)
        ensure_reference_tables(con)
        ensure_participant_tables(con)
    finally:
        con.close()


@flow(name="land", log_prints=True)
def land(run_id: str, mode: str = "demo", include_reference: bool = True) -> dict:
    """Discover new files per borough, checksum, map, pseudonymise, land raw rows with lineage; archive
    original bytes; quarantine what cannot be landed. Already-landed files are skipped."""
    paths = Paths.from_env().ensure()
    summary = {"boroughs": land_borough_extracts(paths, run_id, mode)}
    summary["originals"] = originals_housekeeping(paths, run_id, mode)
    if include_reference:
        # the one decision about where reference files come from (fetched / FHUB_REAL_DATA_DIR / shared / none)
        folder = choose_from_settings(paths, os.environ)
        summary["reference"] = land_reference_files(paths, run_id, folder)
    prepare_work_file(paths)
    return summary
