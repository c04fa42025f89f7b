"""The landing steps of a night, as the nightly flow composes them: land the boroughs' deliveries, look after
the stored originals, and prepare the work file so every dbt source exists before the first build."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from fhub import faults
from fhub.landing.incoming import ENV_VAR as INCOMING_ENV_VAR
from fhub.landing.land import land_all, open_work_db
from fhub.privacy.vault import OriginalsKey
from fhub.settings import LandingTuning, Paths
from fhub.summary import borough_counts

Progress = Callable[[str], None]


def _silent(message: str) -> None:  # noqa: ARG001 - the default progress callback
    return None


def land_borough_extracts(paths: Paths, run_id: str, key: bytes, *, key_label: str, originals_key: OriginalsKey,
                          incoming_after: str, code_version: str | None = None,
                          tuning: LandingTuning | None = None, progress: Progress = _silent) -> dict:
    """Land every new delivery (:func:`fhub.landing.land_all`) and say what happened, for the run summary and
    the manifest: labels (borough, extract, period, delivery id), never file names."""

    def each_file(message: str) -> None:
        progress(message)
        faults.point("land.mid")  # fault-injection hook; no-op unless FHUB_FAULT_AT=land.mid

    result = land_all(paths, run_id, key, key_label=key_label, progress=each_file, originals_key=originals_key,
                      incoming_after=incoming_after, code_version=code_version, tuning=tuning)
    if result.removed_from_incoming:
        progress(f"{len(result.removed_from_incoming):,} delivered file(s) removed from incoming/ (kept encrypted "
                 f"in archive/ or quarantine/; {INCOMING_ENV_VAR}={incoming_after})")
    return {
        "summary": result.summary(),
        "rows_delivered": result.rows_delivered,
        "rows_landed": result.rows_landed,
        "rows_rejected": result.rows_rejected,
        # labels, never file names: this reaches the run summary, the manifest and Prefect's database
        "quarantined": [d.label for d in result.quarantined],
        "removed_from_incoming": len(result.removed_from_incoming),
        "receipts": [str(r) for r in result.receipts],
        "by_borough": borough_counts(result.deliveries),  # counts and slugs only: the run summary's table
    }


def originals_housekeeping(paths: Paths, run_id: str, originals_key: OriginalsKey, retention_days: int,
                           progress: Progress = _silent) -> dict:
    """Encrypt any plaintext original an older version left, and purge originals past the retention period
    (each with a row in ``landing.originals_purged``)."""
    from fhub.privacy.originals import encrypt_plaintext_originals, purge_expired

    encrypted = encrypt_plaintext_originals(paths, originals_key)
    con = open_work_db(paths)
    try:
        purge = purge_expired(con, paths, run_id, retention_days)
    finally:
        con.close()
    if encrypted:
        progress(f"{encrypted} plaintext original(s) from an earlier version encrypted")
    progress(purge.summary(retention_days))
    return {"encrypted_plaintext": encrypted, "purged": len(purge.purged), "retention_days": retention_days}


def prepare_work_file(paths: Paths) -> None:
    """Every dbt source must exist before the first build, even when nothing of its kind has landed:
    the dq history tables, the ref tables (when reference landing is skipped) and the extra participants."""
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
