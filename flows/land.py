"""Flow ``land``: borough extracts and real reference files into the work DuckDB file."""

from __future__ import annotations

from prefect import flow, task

from fhub.reference.folder import ReferenceFolder, choose_from_settings
from fhub.runinfo import RunContext
from fhub.settings import Paths
from flows._common import progress_logger, retry_on_io_error


@task(name="land-reference-files", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_reference_files(paths: Paths, run_id: str, folder: ReferenceFolder) -> dict:
    from fhub.reference.night import land_reference_files as land_reference_folder

    return land_reference_folder(paths, run_id, folder, progress=progress_logger("reference: "))


@task(name="land-borough-extracts", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def land_borough_extracts(ctx: RunContext) -> dict:
    from fhub.landing.night import land_borough_extracts as land_boroughs

    return land_boroughs(ctx.paths, ctx.run_id, ctx.key, key_label=ctx.key_label, originals_key=ctx.originals_key(),
                         incoming_after=ctx.incoming_after, code_version=ctx.code_version,
                         tuning=ctx.landing, progress=progress_logger("land: "))


@task(name="originals-housekeeping", retries=2, retry_delay_seconds=5, retry_condition_fn=retry_on_io_error)
def originals_housekeeping(ctx: RunContext) -> dict:
    """Encrypt plaintext originals an older version left; purge originals past the retention period."""
    from fhub.landing.night import originals_housekeeping as look_after_originals

    return look_after_originals(ctx.paths, ctx.run_id, ctx.originals_key(), ctx.retention_days,
                                progress=progress_logger("originals: "))


@task(name="prepare-work-file")
def prepare_work_file(paths: Paths) -> None:
    """Every dbt source must exist before the first build (fhub.landing.night.prepare_work_file)."""
    from fhub.landing.night import prepare_work_file as prepare

    prepare(paths)


@flow(name="land", log_prints=True)
def land(ctx: RunContext, include_reference: bool = True) -> dict:
    """Discover new files per borough, checksum, map, pseudonymise, land raw rows with lineage; archive
    original bytes; quarantine what cannot be landed. Already-landed files are skipped."""
    paths = ctx.paths.ensure()
    summary = {"boroughs": land_borough_extracts(ctx)}
    summary["originals"] = originals_housekeeping(ctx)
    if include_reference:
        # the one decision about where reference files come from (fetched / FHUB_REAL_DATA_DIR / shared / none)
        summary["reference"] = land_reference_files(paths, ctx.run_id, choose_from_settings(paths))
    prepare_work_file(paths)
    return summary
