"""A load into a real PostgreSQL server: analysts see exactly the published file; boroughs see their own
unsuppressed figures and nobody else's; nobody but the loader writes."""

from __future__ import annotations

import re

import psycopg
import pytest
from psycopg import sql

from fhub.serving.comments import read_dbt_descriptions
from fhub.serving.relations import servable_relations
from tests.serving.helpers import PROJECT, connect, duckdb_digests, new_database, postgres_digest

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]


@pytest.fixture(scope="module")
def loaded(pg_cluster, mart_a, load):
    _, info = pg_cluster
    db = new_database(info, "fhub_load")
    result = load(db, mart_a)
    return db, result


def test_analysts_see_the_same_rows_as_the_published_file(loaded, mart_a, serving_config):
    db, result = loaded
    expected = duckdb_digests(mart_a.paths.published_db)
    servable = servable_relations(mart_a.paths.dbt_target)
    assert set(expected) <= set(servable.names()), "the published file holds only declared relations"
    with connect(db, serving_config.analyst_role) as con:
        served = {
            r[0]
            for r in con.execute(
                "select tablename from pg_tables where schemaname = %s", [serving_config.mart_schema]
            ).fetchall()
        }
        assert served == set(expected) | {"load_info"}
        for table, (columns, rows, checksum) in expected.items():
            got_columns, got_rows, got_checksum = postgres_digest(con, serving_config.mart_schema, table)
            assert got_columns == columns, table
            assert (got_rows, got_checksum) == (rows, checksum), f"{table}: rows or values differ"
        # unqualified names work for analysts, as in the DuckDB file
        assert (
            con.execute("select count(*) from indicator_values").fetchone()[0]
            == expected["indicator_values"][1]
        )
        assert con.execute("select run_id from load_info").fetchone()[0] == mart_a.run_id
    assert result.tables[f"{serving_config.mart_schema}.indicator_values"] == mart_a.indicator_rows


def test_table_and_column_comments_come_from_the_dbt_docs(loaded, mart_a, serving_config):
    db, _ = loaded
    docs = read_dbt_descriptions(mart_a.paths.dbt_target / "manifest.json")
    model = docs.for_work("marts.fct_indicator_values")
    assert model.table and model.columns.get("metric_id")
    with connect(db, serving_config.analyst_role) as con:
        table_comment = con.execute(
            "select obj_description(%s::regclass, 'pg_class')",
            [f"{serving_config.mart_schema}.indicator_values"],
        ).fetchone()[0]
        column_comment = con.execute(
            "select col_description(%s::regclass, ordinal_position::int) from information_schema.columns "
            "where table_schema = %s and table_name = 'indicator_values' and column_name = 'metric_id'",
            [f"{serving_config.mart_schema}.indicator_values", serving_config.mart_schema],
        ).fetchone()[0]
        boroughs = con.execute(
            "select obj_description(%s::regclass, 'pg_class')", [f"{serving_config.mart_schema}.boroughs"]
        ).fetchone()[0]
    assert table_comment == model.table
    assert column_comment == model.columns["metric_id"]
    servable = servable_relations(mart_a.paths.dbt_target)
    assert boroughs == docs.for_work(servable.work_relation_of("boroughs")).table


def _borough_roles(serving_config, mart_a):
    roles = {b.borough_code: b.role for b in serving_config.borough_roles(mart_a.paths.borough_config)}
    with_data = sorted(code for code in mart_a.restricted_rows if code in roles)
    assert len(with_data) >= 2, "the session's demo data should cover at least two configured boroughs"
    return roles, with_data


def test_a_borough_sees_its_own_unsuppressed_rows_and_no_other_boroughs(loaded, mart_a, serving_config):
    db, _ = loaded
    roles, with_data = _borough_roles(serving_config, mart_a)
    restricted = serving_config.restricted_schema
    for code in with_data[:2]:
        with connect(db, roles[code]) as con:
            rows = con.execute(
                sql.SQL("select borough_code, count(*) from {}.indicator_values group by 1").format(
                    sql.Identifier(restricted)
                )
            ).fetchall()
            assert rows == [(code, mart_a.restricted_rows[code])]
            hidden = con.execute(
                sql.SQL(
                    "select count(*) from {}.indicator_values where public_suppression_symbol = 'c' "
                    "and value is not null"
                ).format(sql.Identifier(restricted))
            ).fetchone()[0]
            assert hidden > 0, "figures suppressed in public are there, unsuppressed, for the borough itself"
            # every figure says what it is (issue 16): the borough's own records, provisional or not
            identity = con.execute(
                sql.SQL(
                    "select distinct source, source_precision_dp, is_provisional is not null "
                    "from {}.indicator_values"
                ).format(sql.Identifier(restricted))
            ).fetchall()
            assert identity and {r[0] for r in identity} == {"Borough records"} and all(r[2] for r in identity)
            # the public mart is there too, all boroughs
            public = con.execute("select count(distinct borough_code) from boroughs").fetchone()[0]
            assert public >= 33
            other = roles[with_data[1] if code == with_data[0] else with_data[0]]
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(sql.SQL("set role {}").format(sql.Identifier(other)))
    # the loader sees every borough's rows; an analyst none (no access to the schema at all)
    with connect(db, serving_config.analyst_role) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute(sql.SQL("select count(*) from {}.indicator_values").format(sql.Identifier(restricted)))


def test_a_borough_without_figures_sees_no_restricted_rows(loaded, mart_a, serving_config):
    db, _ = loaded
    roles, _ = _borough_roles(serving_config, mart_a)
    empty = [role for code, role in roles.items() if code not in mart_a.restricted_rows]
    if not empty:
        pytest.skip("every configured borough has figures in this data")
    with connect(db, empty[0]) as con:
        assert con.execute("select count(*) from restricted.indicator_values").fetchone()[0] == 0


WRITES = (
    "insert into {mart}.boroughs (borough_code) values ('E09999999')",
    "update {mart}.indicator_values set value = 0",
    "delete from {mart}.boroughs",
    "truncate {mart}.hubs",
    "drop table {mart}.periods",
    "create table {mart}.mine (x int)",
    "alter table {mart}.boroughs add column x int",
    "create schema mine",
)


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_for_analysts_and_boroughs(loaded, mart_a, serving_config, statement):
    db, _ = loaded
    roles, with_data = _borough_roles(serving_config, mart_a)
    borough = roles[with_data[0]]
    writes = [statement.format(mart=serving_config.mart_schema)]
    writes_restricted = [
        f"delete from {serving_config.restricted_schema}.indicator_values",
        f"update {serving_config.restricted_schema}.indicator_values set value = 0",
    ]
    for role, statements in ((serving_config.analyst_role, writes), (borough, writes + writes_restricted)):
        with connect(db, role, autocommit=True) as con:
            for text in statements:
                # sessions start read-only ...
                with pytest.raises(
                    (psycopg.errors.ReadOnlySqlTransaction, psycopg.errors.InsufficientPrivilege)
                ):
                    con.execute(text)
                # ... and a reader who switches that off is still refused by the privileges
                con.execute("set default_transaction_read_only = off")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    con.execute(text)
                con.execute("reset default_transaction_read_only")
    with connect(db, serving_config.analyst_role) as con:
        assert (
            con.execute("select count(*) from boroughs").fetchone()[0]
            == duckdb_digests(mart_a.paths.published_db)["boroughs"][1]
        )


#: DuckDB-only SQL the README tells PostgreSQL users to write out ("Serving (PostgreSQL)")
DUCKDB_ONLY = ("group by all", "any_value(", "arg_max(", "round(", "order by comparison")


def test_the_readme_queries_run_on_postgres_as_the_readme_says(loaded, serving_config):
    db, _ = loaded
    blocks = re.findall(r"```sql\n(.*?)```", (PROJECT / "README.md").read_text(), flags=re.S)
    portable = [b for b in blocks if not any(marker in b for marker in DUCKDB_ONLY)]
    assert len(portable) >= 10
    with connect(db, serving_config.analyst_role, autocommit=True) as con:
        for query in portable:
            rows = con.execute(query).fetchall()
            if "can return no rows" not in query:
                assert rows, f"README query returned no rows on PostgreSQL:\n{query}"
