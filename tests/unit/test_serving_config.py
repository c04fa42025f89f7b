"""Serving configuration, password files, type mapping and dbt descriptions (no server needed)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import duckdb
import pytest
import yaml

from fhub.dbt.contract import PublicRelation
from fhub.serving.comments import read_dbt_descriptions
from fhub.serving.config import ServingConfigError, default_config_path, load_serving_config
from fhub.serving.passwords import ensure_passwords, passwords_from_environment, read_passfile, write_passfile
from fhub.serving.relations import ServableRelations, servable_relations
from fhub.serving.source import MartFiles, open_source, pg_type_of
from fhub.settings import PROJECT_DIR


def _write(tmp_path: Path, **changes) -> Path:
    raw = yaml.safe_load(default_config_path(PROJECT_DIR).read_text())
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    path = tmp_path / "serving.yml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_the_repository_configuration_loads_with_a_role_per_mapped_borough():
    config = load_serving_config(default_config_path(PROJECT_DIR))
    assert (config.mart_schema, config.restricted_schema, config.loader) == (
        "mart",
        "restricted",
        "fh_loader",
    )
    assert config.analyst_role == "fh_analyst"
    roles = config.borough_roles(PROJECT_DIR / "config" / "boroughs")
    mapped = sorted(p.stem for p in (PROJECT_DIR / "config" / "boroughs").glob("*.yml"))
    assert [r.role for r in roles] == sorted(f"fh_borough_{slug}" for slug in mapped)
    hackney = next(r for r in roles if r.slug == "hackney")
    assert hackney.borough_code == "E09000012"
    assert config.reader_settings["default_transaction_read_only"] == "on"


def test_an_explicit_borough_list_replaces_the_mapping_files(tmp_path):
    path = _write(
        tmp_path,
        borough_roles={
            "prefix": "fh_b_",
            "boroughs": [{"slug": "tower-hamlets", "borough_code": "E09000030"}],
        },
    )
    roles = load_serving_config(path).borough_roles()
    assert [(r.role, r.borough_code) for r in roles] == [("fh_b_tower_hamlets", "E09000030")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"loader": "Loader; drop"}, "loader"),
        ({"database": None}, "'database' is missing"),
        ({"schemas": {"mart": "mart", "restricted": "mart"}}, "must differ"),
        ({"reader_settings": {"search_path; drop": "x"}}, "not a PostgreSQL setting"),
        ({"borough_roles": {"prefix": "fh_", "boroughs": "some"}}, "borough_roles.boroughs"),
    ],
)
def test_configuration_errors_name_the_file_and_key(tmp_path, changes, message):
    path = _write(tmp_path, **changes)
    with pytest.raises(ServingConfigError) as err:
        load_serving_config(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_bad_borough_code_or_role_name_is_refused(tmp_path):
    path = _write(
        tmp_path, borough_roles={"prefix": "fh_", "boroughs": [{"slug": "x", "borough_code": "123"}]}
    )
    with pytest.raises(ServingConfigError, match="no valid ONS code"):
        load_serving_config(path).borough_roles()
    path = _write(
        tmp_path, borough_roles={"prefix": "FH ", "boroughs": [{"slug": "x", "borough_code": "E09000001"}]}
    )
    with pytest.raises(ServingConfigError, match="not a valid role name"):
        load_serving_config(path).borough_roles()


def test_password_file_is_private_kept_and_readable_by_libpq_rules(tmp_path):
    passfile = tmp_path / "pgpass"
    first = ensure_passwords(passfile, ["fh_loader", "fh_analyst"])
    assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    again = ensure_passwords(passfile, ["fh_analyst", "fh_borough_hackney"])
    assert again["fh_analyst"] == first["fh_analyst"] and again["fh_loader"] == first["fh_loader"]
    assert len(again["fh_borough_hackney"]) >= 24
    assert "*:*:*:fh_loader:" + first["fh_loader"] in passfile.read_text().splitlines()
    write_passfile(passfile, {"odd": "a:b\\c"})  # libpq's escapes
    assert read_passfile(passfile) == {"odd": "a:b\\c"}


def test_passwords_from_the_environment():
    env = {"FHUB_PG_PASSWORD_FH_ANALYST": "s3cret", "FHUB_PG_PASSWORD_EMPTY": "", "OTHER": "x"}
    assert passwords_from_environment(env) == {"fh_analyst": "s3cret"}


@pytest.mark.parametrize(
    ("duckdb_type", "pg_type"),
    [
        ("VARCHAR", "text"),
        ("DOUBLE", "double precision"),
        ("BIGINT", "bigint"),
        ("HUGEINT", "numeric(39,0)"),
        ("UBIGINT", "numeric(20,0)"),
        ("DECIMAL(18,3)", "numeric(18,3)"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("VARCHAR[]", "text"),
        ("STRUCT(a INTEGER)", "text"),
    ],
)
def test_duckdb_types_map_to_postgres(duckdb_type, pg_type):
    assert pg_type_of(duckdb_type) == pg_type


def test_the_source_serves_declared_relations_only_and_writes_exact_csv(tmp_path):
    published = tmp_path / "published.duckdb"
    con = duckdb.connect(str(published))
    con.execute("create table run_manifest as select 'r1' as run_id, '{}' as manifest_json")
    con.execute(
        "create table boroughs as select * from (values ('E09000001', 'City, \"of\" London', null::varchar, ''), "
        "('E09000002', 'Barking\nand Dagenham', 'x', 'y')) t(borough_code, borough_name, a, b)"
    )
    con.execute("create table secret_rows as select 1 as x")
    con.close()
    source = open_source(MartFiles(published, tmp_path / "absent.duckdb"))
    try:
        tables = {t.name: t for t in source.public_tables(["run_manifest", "boroughs", "hubs"])}
        assert set(tables) == {"run_manifest", "boroughs"}
        assert source.skipped_undeclared == ["secret_rows"]
        assert source.run_id == "r1" and not source.work_attached
        text = b"".join(bytes(c) for c in source.csv_chunks(tables["boroughs"])).decode()
    finally:
        source.close()
    # NULL is an empty unquoted field, an empty string is "" - PostgreSQL's CSV reads them apart
    assert text == '"E09000001","City, ""of"" London",,""\n"E09000002","Barking\nand Dagenham","x","y"\n'


def test_the_publish_contract_says_what_is_servable(dbt_target):
    servable = servable_relations(dbt_target)
    assert {"indicator_values", "boroughs", "deliveries", "run_manifest", "dq_withholdings"} <= set(
        servable.names()
    )
    assert servable.work_relation_of("indicator_values") == "marts.fct_indicator_values"
    assert servable.description("run_manifest").startswith("The run that produced this mart")


def test_descriptions_come_from_models_and_sources(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    "model.p.fct_indicator_values": {
                        "resource_type": "model",
                        "schema": "marts",
                        "alias": "fct_indicator_values",
                        "name": "fct_indicator_values",
                        "description": "One row per  metric.\n",
                        "columns": {"metric_id": {"description": "Metric key."}, "x": {"description": ""}},
                    },
                    "test.p.t": {"resource_type": "test", "schema": "marts", "name": "t"},
                },
                "sources": {
                    "source.p.landing.deliveries": {
                        "resource_type": "source",
                        "schema": "landing",
                        "name": "deliveries",
                        "identifier": "deliveries",
                        "description": "One row per delivered file.",
                        "columns": {},
                    }
                },
            }
        )
    )
    docs = read_dbt_descriptions(manifest)
    servable = ServableRelations(
        (
            PublicRelation("indicator_values", "marts.fct_indicator_values", description="declared"),
            PublicRelation("deliveries", "landing.deliveries"),
            PublicRelation("boroughs", "marts.dim_boroughs", description="the boroughs"),
        )
    )
    iv = docs.for_public("indicator_values", servable)
    assert iv.table == "One row per metric." and iv.columns == {"metric_id": "Metric key."}
    assert docs.for_public("deliveries", servable).table == "One row per delivered file."
    assert docs.for_public("boroughs", servable).table == "the boroughs"  # not in the manifest: declared text
    assert docs.for_public("run_manifest", servable).table.startswith("The run that produced this mart")
    assert read_dbt_descriptions(tmp_path / "missing.json").by_relation == {}
