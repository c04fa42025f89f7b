"""Flow ``land``: borough extracts and real reference files into the work DuckDB file."""

from __future__ import annotations

import os

from prefect import flow, task

from fhub.privacy.vault import resolve_originals_key
from fhub.pseudonymise import resolve_key
from fhub.reference.folder import ReferenceFolder, choose_from_settings
from fhub.settings import Paths
from flows._common import progress_logger, retry_on_io_error


@task(name="land-reference-files", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_reference_files(paths: Paths, run_id: str, folder: ReferenceFolder) -> dict:
    from fhub.reference.night import land_reference_files as land_reference_folder

    return land_reference_folder(paths, run_id, folder, progress=progress_logger("reference: "))


@task(name="land-borough-extracts", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_borough_extracts(paths: Paths, run_id: str, mode: str) -> dict:
    from fhub.landing.incoming import ENV_VAR, incoming_policy
    from fhub.landing.night import land_borough_extracts as land_boroughs

    key, key_label = resolve_key(mode, use_prefect=True)
    return land_boroughs(paths, run_id, key, key_label=key_label,
                         originals_key=resolve_originals_key(mode, use_prefect=True),
                         incoming_after=incoming_policy(os.environ.get(ENV_VAR)), progress=progress_logger("land: "))


@task(name="originals-housekeeping", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def originals_housekeeping(paths: Paths, run_id: str, mode: str) -> dict:
    """Encrypt plaintext originals an older version left; purge originals past the retention period."""
    from fhub.landing.night import originals_housekeeping as look_after_originals
    from fhub.privacy.originals import RETENTION_ENV, retention_days

    return look_after_originals(paths, run_id, resolve_originals_key(mode, use_prefect=True),
                                retention_days(os.environ.get(RETENTION_ENV)), progress=progress_logger("originals: "))


@task(name="prepare-work-file")
def prepare_work_file(paths: Paths) -> None:
    """Every dbt source must exist before the first build (fhub.landing.night.prepare_work_file)."""
    from fhub.landing.night import prepare_work_file as prepare

    prepare(paths)


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
