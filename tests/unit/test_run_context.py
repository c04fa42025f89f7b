"""One run context (fhub/runinfo.py): resolved once from the entry point's environment, handed down; its
keys never reach Prefect's database as a subflow parameter; dbt's settings do not outlive its invocation."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from fhub.dbt.runner import dbt_env, dbt_environment
from fhub.privacy.vault import OriginalsKey
from fhub.pseudonymise import DEMO_KEY, MissingKeyError
from fhub.reference.folder import choose_from_settings
from fhub.runinfo import RunContext, resolve_run_context
from fhub.settings import PROJECT_DIR, Paths


def _paths(tmp_path) -> Paths:
    return Paths(project=PROJECT_DIR, data=tmp_path)


def test_resolved_once_from_the_given_environment(tmp_path):
    env = {"FHUB_HMAC_KEY": "hmac-secret", "FHUB_ARCHIVE_KEY": "archive-secret", "FHUB_MODE": "production",
           "FHUB_INCOMING_AFTER_LANDING": "keep", "FHUB_ORIGINALS_RETENTION_DAYS": "30",
           "FHUB_POSTGRES_DSN": "host=db password=pw", "FHUB_PG_PASSWORD_FH_ANALYST": "apw"}
    ctx = resolve_run_context(env, paths=_paths(tmp_path), run_id="r1", use_prefect=False)
    assert (ctx.mode, ctx.run_id, ctx.key_label, ctx.originals_label) == ("production", "r1", "env", "env")
    assert ctx.key == b"hmac-secret"
    assert ctx.originals_key().fernet.decrypt(OriginalsKey.from_secret("archive-secret", "env").fernet.encrypt(b"x"))
    assert (ctx.incoming_after, ctx.retention_days) == ("keep", 30)
    assert ctx.serving_env() == ("host=db password=pw", {"fh_analyst": "apw"})
    assert ctx.code_version  # one code version for the run: landing.runs and the manifest


def test_demo_defaults_and_production_without_keys_refuses(tmp_path):
    ctx = resolve_run_context({}, paths=_paths(tmp_path), use_prefect=False)
    assert (ctx.mode, ctx.key, ctx.key_label, ctx.originals_key().label) == ("demo", DEMO_KEY.encode(), "demo", "demo")
    assert ctx.incoming_after == "remove" and ctx.serving_env() == (None, {})
    with pytest.raises(MissingKeyError):
        resolve_run_context({"FHUB_MODE": "production"}, paths=_paths(tmp_path), use_prefect=False)
    with pytest.raises(MissingKeyError):  # the originals key is required too
        resolve_run_context({"FHUB_MODE": "production", "FHUB_HMAC_KEY": "k"}, paths=_paths(tmp_path),
                            use_prefect=False)


def test_keys_and_folders_stay_out_of_what_prefect_stores(tmp_path):
    """A subflow's parameters are stored in Prefect's database (Flow.serialize_parameters): keys, DSNs and folder
    names never are."""
    from prefect import flow

    env = {"FHUB_HMAC_KEY": "hmac-secret", "FHUB_ARCHIVE_KEY": "archive-secret",
           "FHUB_POSTGRES_DSN": "host=db password=dsn-secret", "FHUB_PG_PASSWORD_FH_ANALYST": "role-secret"}
    ctx = resolve_run_context(env, paths=_paths(tmp_path), run_id="r1", use_prefect=False)

    @flow
    def subflow(ctx: RunContext) -> None:  # pragma: no cover - only its parameter serialisation is used
        return None

    stored = subflow.serialize_parameters({"ctx": ctx})
    for secret in ("hmac-secret", "archive-secret", "dsn-secret", "role-secret"):
        assert secret not in str(stored)
        assert secret not in repr(ctx)
    # nor a folder name (a data folder can be named after a person): the run's identity only
    assert str(tmp_path) not in str(stored)
    assert stored["ctx"] == {"run_id": "r1", "mode": "demo", "code_version": ctx.code_version, "key_label": "env"}


def test_paths_from_env_reads_the_chosen_folders_and_nothing_later(tmp_path, monkeypatch):
    env = {"FHUB_DATA_DIR": str(tmp_path), "FHUB_BOROUGH_CONFIG_DIR": str(tmp_path / "cfg"),
           "FHUB_REAL_DATA_DIR": str(tmp_path / "real")}
    paths = Paths.from_env(env)
    assert (paths.data, paths.borough_config, paths.real_data) == (tmp_path, tmp_path / "cfg", tmp_path / "real")
    monkeypatch.setenv("FHUB_BOROUGH_CONFIG_DIR", "/elsewhere")
    monkeypatch.setenv("FHUB_REAL_DATA_DIR", "/elsewhere")
    assert (paths.borough_config, paths.real_data) == (tmp_path / "cfg", tmp_path / "real")  # resolved once
    assert Paths(project=PROJECT_DIR, data=tmp_path).borough_config == PROJECT_DIR / "config" / "boroughs"


def test_real_data_dir_travels_in_paths_not_the_environment(tmp_path, monkeypatch):
    """`fhub run --real-data-dir` used to set FHUB_REAL_DATA_DIR in the process environment."""
    monkeypatch.delenv("FHUB_REAL_DATA_DIR", raising=False)
    chosen = tmp_path / "mine"
    chosen.mkdir()
    folder = choose_from_settings(replace(_paths(tmp_path), real_data_dir=chosen))
    assert (folder.origin, Path(folder.path)) == ("explicit", chosen)
    assert "FHUB_REAL_DATA_DIR" not in os.environ


def test_dbt_settings_last_one_invocation(tmp_path, monkeypatch):
    monkeypatch.setenv("FHUB_WORK_DB", "earlier.duckdb")
    monkeypatch.delenv("FHUB_DUCKDB_TEMP_DIR", raising=False)
    env = dbt_env(_paths(tmp_path))
    assert "FHUB_RUN_ID" not in env  # the run id is data in the work file (fhub/dbt/run_context.py)
    with dbt_environment(env):
        assert os.environ["FHUB_WORK_DB"] == str(tmp_path / "work" / "warehouse.duckdb")
        assert os.environ["FHUB_DUCKDB_TEMP_DIR"] == str(tmp_path / "work" / "duckdb-tmp")
    assert os.environ["FHUB_WORK_DB"] == "earlier.duckdb"
    assert "FHUB_DUCKDB_TEMP_DIR" not in os.environ
