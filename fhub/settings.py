"""Where everything lives, and the offline switches every process sets before importing the stack.

All paths derive from two roots so tests can point a whole pipeline at a temporary folder:

* ``FHUB_PROJECT_DIR`` – the repository (dbt project, config, seeds); defaults to this checkout.
* ``FHUB_DATA_DIR`` – runtime state (incoming, archive, quarantine, work and published DuckDB files,
  reports); defaults to ``<project>/data``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(os.environ.get("FHUB_PROJECT_DIR", Path(__file__).resolve().parent.parent))

#: Telemetry, analytics and version checks off; Prefect's temporary server kept local.
OFFLINE_ENV: dict[str, str] = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_PARTIAL_PARSE": "true",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_LOGGING_LEVEL": "INFO",
    "HF_HUB_OFFLINE": "1",
}

#: The real public files (read in place, never copied into the repository).
DEFAULT_REAL_DATA_DIR = PROJECT_DIR.parent / "shared" / "data" / "real"

WAREHOUSE_FILE_NAME = "warehouse.duckdb"

#: DuckDB's memory limit for every connection that does heavy work (landing, dbt, the benchmark's limit),
#: unless ``FHUB_DUCKDB_MEMORY_LIMIT`` says otherwise. profiles/profiles.yml repeats it as its env_var
#: default (tests/unit/test_settings_memory.py keeps the two equal). 3 GB keeps the whole process tree
#: (DuckDB + Python + dbt + Prefect) under 4 GB at London scale; DuckDB spills to its temp directory beyond it.
DEFAULT_DUCKDB_MEMORY_LIMIT = "3GB"


def duckdb_memory_limit() -> str:
    return os.environ.get("FHUB_DUCKDB_MEMORY_LIMIT") or DEFAULT_DUCKDB_MEMORY_LIMIT


#: Compression DuckDB may not use when it writes tables (landing, dbt, the benchmark's limit; the profile
#: repeats it). FSST is tried on every string column, and most of what this pipeline writes are keyed hashes
#: and ids it cannot shrink: writing 12 M contacts costs ~17 % less without it, for a larger work file
#: (London: 2.30 GB -> 3.15 GB; the published file is written by its own connection and keeps FSST).
DUCKDB_DISABLED_COMPRESSION = "fsst"


@dataclass(frozen=True)
class LandingTuning:
    """Landing's tuning knobs, resolved once from the entry point's environment (:meth:`resolve`, by
    :func:`fhub.runinfo.resolve_run_context` and the pre-send check) and carried by the run context into landing
    (``fhub.landing.items.RunContext.tuning``)."""

    #: Largest total size of the files landed in one pass / one transaction (bounds memory and the work lost to a
    #: kill); a single larger file is landed alone. ``FHUB_LANDING_GROUP_BYTES``.
    group_bytes: int = 256 * 1024 * 1024
    #: Files read and checked in parallel before landing (``FHUB_LANDING_PREPARE_THREADS``; 1 = one at a time).
    prepare_threads: int = 2
    #: XLSX workbooks whose worksheets expand to at most this many bytes are read with the fast reader, bigger
    #: ones streamed (``FHUB_XLSX_FAST_MAX_BYTES``; 0 = always stream).
    xlsx_fast_max_bytes: int = 64 * 1024 * 1024
    #: Developers: raise a group's internal error (see the traceback) instead of quarantining the file
    #: (``FHUB_LANDING_RAISE``, any non-empty value).
    raise_errors: bool = False

    @classmethod
    def resolve(cls, env: Mapping[str, str]) -> LandingTuning:
        """The knobs from an entry point's environment; unset or empty variables keep the defaults."""
        default = cls()
        return cls(
            group_bytes=int(env.get("FHUB_LANDING_GROUP_BYTES") or default.group_bytes),
            prepare_threads=int(env.get("FHUB_LANDING_PREPARE_THREADS") or default.prepare_threads),
            xlsx_fast_max_bytes=int(env.get("FHUB_XLSX_FAST_MAX_BYTES") or default.xlsx_fast_max_bytes),
            raise_errors=bool(env.get("FHUB_LANDING_RAISE")),
        )


def apply_offline_env() -> None:
    """Set the opt-out variables unless the caller already chose a value."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_DIR / ".prefect"))


@dataclass(frozen=True)
class Paths:
    """Every folder and file the pipeline reads or writes, derived from one data root."""

    project: Path
    data: Path
    #: ``FHUB_BOROUGH_CONFIG_DIR``: the borough mapping files, when not ``<project>/config/boroughs``.
    borough_config_dir: Path | None = None
    #: ``FHUB_REAL_DATA_DIR`` / ``--real-data-dir``: the folder of real published files the user chose.
    real_data_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Paths:
        """Every folder from the entry point's environment (``os.environ`` when not given). Only entry points
        (fhub/cli.py, the nightly flow, the deployment) call this; everything else is handed a ``Paths``."""
        env = os.environ if env is None else env
        project = Path(env.get("FHUB_PROJECT_DIR", PROJECT_DIR))
        data = Path(env.get("FHUB_DATA_DIR", project / "data"))
        config = env.get("FHUB_BOROUGH_CONFIG_DIR") or None
        real = env.get("FHUB_REAL_DATA_DIR") or None
        return cls(project=project, data=data, borough_config_dir=Path(config) if config else None,
                   real_data_dir=Path(real) if real else None)

    # --- inputs -------------------------------------------------------------------------------
    @property
    def incoming(self) -> Path:
        """Borough deliveries: ``incoming/<borough_slug>/<file>``."""
        return self.data / "incoming"

    @property
    def borough_config(self) -> Path:
        """Per-borough mapping files (configuration, not code); ``FHUB_BOROUGH_CONFIG_DIR`` overrides."""
        return Path(self.borough_config_dir or self.project / "config" / "boroughs")

    @property
    def real_data(self) -> Path:
        """The folder of real published files: the one chosen, else ``../shared/data/real``."""
        return Path(self.real_data_dir or DEFAULT_REAL_DATA_DIR)

    # --- landing state ------------------------------------------------------------------------
    @property
    def archive(self) -> Path:
        """Original bytes, content-addressed: ``archive/<sha[:2]>/<sha256>``."""
        return self.data / "archive"

    @property
    def quarantine(self) -> Path:
        return self.data / "quarantine"

    @property
    def receipts(self) -> Path:
        return self.data / "receipts"

    # --- warehouse ----------------------------------------------------------------------------
    @property
    def work_dir(self) -> Path:
        return self.data / "work"

    @property
    def work_db(self) -> Path:
        """Write side: raw + staging + marts (unsuppressed). Never opened by analysts."""
        return self.work_dir / WAREHOUSE_FILE_NAME

    @property
    def staging_publish_db(self) -> Path:
        """The public file as assembled before the atomic swap (same basename as published)."""
        return self.data / "publish-staging" / WAREHOUSE_FILE_NAME

    @property
    def published_dir(self) -> Path:
        return self.data / "published"

    @property
    def published_db(self) -> Path:
        """Read side: suppressed public relations only. Analysts open it read-only."""
        return self.published_dir / WAREHOUSE_FILE_NAME

    @property
    def exports(self) -> Path:
        return self.published_dir / "exports"

    @property
    def manifests(self) -> Path:
        return self.published_dir / "manifests"

    # --- reports ------------------------------------------------------------------------------
    @property
    def reports(self) -> Path:
        return self.data / "reports"

    @property
    def gx_dir(self) -> Path:
        return self.data / "gx"

    @property
    def gx_docs(self) -> Path:
        return self.reports / "data-docs"

    @property
    def dbt_docs(self) -> Path:
        return self.reports / "dbt-docs"

    @property
    def dbt_target(self) -> Path:
        return self.data / "dbt-target"

    def ensure(self) -> Paths:
        for folder in (
            self.incoming,
            self.archive,
            self.quarantine,
            self.receipts,
            self.work_dir,
            self.staging_publish_db.parent,
            self.published_dir,
            self.exports,
            self.manifests,
            self.reports,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self
