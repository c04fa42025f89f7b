"""The spine, end to end: land → dbt → GX gate → publish, as a user runs it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import duckdb
import pytest

from tests.conftest import release_held
from tests.e2e.harness import PROJECT, copy_state, fhub, snapshot

pytestmark = pytest.mark.e2e


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_nightly_publishes_a_readable_mart(baseline):
    published = baseline["data"] / "published" / "warehouse.duckdb"
    assert published.exists()
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        assert {"indicator_values", "boroughs"} <= tables
        # only public relations: no raw or staging schemas in the analyst file
        schemas = {
            r[0]
            for r in con.execute("select distinct table_schema from information_schema.tables").fetchall()
        }
        assert schemas == {"main"}
        gld = con.execute(
            "select geography_code, count(*) from indicator_values where metric_id = 'eyfs_gld' "
            "and geography_level = 'borough' and breakdown_type = 'total' group by 1"
        ).fetchall()
    finally:
        con.close()
    from fhub.landing.mapping import load_borough_mappings

    slugs = {p.name for p in baseline["sent"].iterdir() if p.is_dir()}
    codes = {
        m.borough_code for m in load_borough_mappings(PROJECT / "config" / "boroughs") if m.slug in slugs
    }
    assert codes and codes <= {g for g, _ in gld}, (
        f"GLD missing for some demo boroughs: {codes - {g for g, _ in gld}}"
    )


def test_readme_example_queries_answer_with_data(baseline):
    """Every ```sql block in the README runs against the published file and returns rows — except a block
    that says in a comment it can be empty on a small extract (suppressed small cells)."""
    readme = (PROJECT / "README.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 8
    con = duckdb.connect(str(baseline["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        for sql in blocks:
            rows = con.execute(sql).fetchall()
            if "can return no rows" not in sql:
                assert rows, f"README query returned no rows:\n{sql}"
    finally:
        con.close()


def test_landed_files_leave_incoming_and_originals_are_encrypted(baseline):
    """The night removed every landed file from incoming/ (plaintext personal data does not sit there); each
    one is kept, encrypted, in the archive."""
    from fhub.landing.archive import archive_path
    from fhub.privacy.vault import is_encrypted

    data = baseline["data"]
    assert [p for p in (data / "incoming").rglob("*") if p.is_file()] == []
    sent = [p for p in baseline["sent"].rglob("*") if p.is_file()]
    assert sent
    for path in sent:
        stored = archive_path(data / "archive", _sha(path))
        assert is_encrypted(stored), path.name
    assert not [p for p in (data / "archive").rglob("*") if p.is_file() and not p.name.endswith(".fenc")]


def test_landing_the_same_files_twice_changes_nothing(baseline, prefect_server, tmp_path):
    data = copy_state(baseline["data"], tmp_path / "data")
    shutil.copytree(baseline["sent"], data / "incoming", dirs_exist_ok=True)  # a borough sends them all again
    before = snapshot(data / "work" / "warehouse.duckdb")
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "files skipped: these exact bytes were received on an earlier run" in result.stdout + result.stderr
    assert [p for p in (data / "incoming").rglob("*") if p.is_file()] == []  # and they leave incoming/ again
    after = snapshot(data / "work" / "warehouse.duckdb")
    for table in ("landing.deliveries", "raw.hub_contacts", "raw.eyfsp_results", "raw.hub_register"):
        assert after[table] == before[table], f"{table} changed on a re-run over the same files"
    # The first night recorded the incremental models' definitions; unchanged, the second night rebuilds none.
    from fhub.dbt.rebuild import incremental_models

    assert "rebuilt from scratch tonight" in baseline["log"]
    recorded = json.loads((data / "work" / "incremental_models.json").read_text())
    assert set(recorded) == set(incremental_models(PROJECT)) and len(recorded) >= 6
    assert "rebuilt from scratch tonight" not in result.stdout + result.stderr
    assert (
        snapshot(data / "published" / "warehouse.duckdb")["main.indicator_values"]
        == snapshot(baseline["data"] / "published" / "warehouse.duckdb")["main.indicator_values"]
    )


def test_failing_gate_publishes_nothing(baseline, prefect_server, tmp_path):
    """A raw identifier reaching the warehouse fails a blocking expectation: the published file stays
    byte-identical and the run says why."""
    data = copy_state(baseline["data"], tmp_path / "data")
    published = data / "published" / "warehouse.duckdb"
    before = _sha(published)
    release_held(baseline["root"], data)  # there is something new to publish
    con = duckdb.connect(str(data / "work" / "warehouse.duckdb"))
    try:
        delivery = con.execute(
            "select delivery_id, borough_code, period from landing.deliveries "
            "where extract_type = 'contacts' and status = 'landed' limit 1"
        ).fetchone()
        con.execute(
            "insert into raw.hub_contacts (contact_id, person_key, hub_id, service_code, delivery_model, "
            "contact_date, attended, _delivery_id, _borough_code, _extract_type, _period, _row_number) "
            "values ('X1', '943 476 5919', 'X', 'stay_and_play', 'direct', date '2024-05-01', true, ?, ?, "
            "'contacts', ?, 999999)",
            list(delivery),
        )
    finally:
        con.close()
    result = fhub(data, "run", "--no-reports", server=prefect_server)
    assert result.returncode != 0
    assert "not a keyed hash" in (result.stdout + result.stderr)
    assert _sha(published) == before
    summary = (data / "reports" / "run-summary.md").read_text()
    assert "published: NO" in summary
