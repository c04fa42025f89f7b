"""One DuckDB memory limit for landing, dbt and the benchmark's limit (issue 7: peak memory ≤ 4 GB)."""

from __future__ import annotations

import re

from fhub.settings import DEFAULT_DUCKDB_MEMORY_LIMIT, PROJECT_DIR, Paths, duckdb_memory_limit


def test_profile_default_equals_the_pipeline_default():
    profile = (PROJECT_DIR / "profiles" / "profiles.yml").read_text()
    found = re.search(r"memory_limit:\s*\"\{\{\s*env_var\('FHUB_DUCKDB_MEMORY_LIMIT',\s*'([^']+)'\)", profile)
    assert found, "profiles.yml must take memory_limit from FHUB_DUCKDB_MEMORY_LIMIT with a default"
    assert found.group(1) == DEFAULT_DUCKDB_MEMORY_LIMIT


def test_environment_overrides_the_default(monkeypatch):
    monkeypatch.delenv("FHUB_DUCKDB_MEMORY_LIMIT", raising=False)
    assert duckdb_memory_limit() == DEFAULT_DUCKDB_MEMORY_LIMIT
    monkeypatch.setenv("FHUB_DUCKDB_MEMORY_LIMIT", "512MB")
    assert duckdb_memory_limit() == "512MB"


def test_landing_connection_applies_the_limit(tmp_path, monkeypatch):
    from fhub.landing.land import open_work_db

    monkeypatch.setenv("FHUB_DUCKDB_MEMORY_LIMIT", "256MB")
    paths = Paths(project=PROJECT_DIR, data=tmp_path)
    con = open_work_db(paths)
    try:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert limit.replace(" ", "").upper() in {"256.0MIB", "244.1MIB", "256MB", "244MIB"}, limit


def test_one_compression_setting_for_landing_dbt_and_the_limit(tmp_path):
    """Landing, the dbt profile and the benchmark's limit write tables with the same DuckDB settings (the
    limit must not be measured with a different engine configuration than the pipeline)."""
    from fhub.landing.land import open_work_db
    from fhub.settings import DUCKDB_DISABLED_COMPRESSION
    from fhub_dev.bench.limit import duckdb_settings

    profile = (PROJECT_DIR / "profiles" / "profiles.yml").read_text()
    assert re.search(rf"disabled_compression_methods:\s*{DUCKDB_DISABLED_COMPRESSION}\s*$", profile, re.M)
    assert duckdb_settings(tmp_path)["disabled_compression_methods"] == DUCKDB_DISABLED_COMPRESSION
    con = open_work_db(Paths(project=PROJECT_DIR, data=tmp_path))
    try:
        value = con.execute("select current_setting('disabled_compression_methods')").fetchone()[0]
    finally:
        con.close()
    assert value.lower() == DUCKDB_DISABLED_COMPRESSION
