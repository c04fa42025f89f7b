"""A night with no reference data at all still publishes the boroughs' figures and says why comparators are absent."""

from __future__ import annotations

import duckdb
import pytest

from tests.e2e.harness import fhub, generate

pytestmark = pytest.mark.e2e


def test_the_nightly_publishes_without_any_reference_data(tmp_path, prefect_server):
    data = tmp_path / "data"
    generate(data / "incoming", scale="tiny")
    nowhere = tmp_path / "no-reference-data"
    result = fhub(
        data, "run", "--no-reports", server=prefect_server, env={"FHUB_REAL_DATA_DIR": str(nowhere)}
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    summary = (data / "reports" / "run-summary.md").read_text()
    [line] = [x for x in summary.splitlines() if x.startswith("- reference files:")]
    assert f"no reference data: FHUB_REAL_DATA_DIR={nowhere} does not exist" in line
    assert "running without comparators" in line

    con = duckdb.connect(str(data / "published" / "warehouse.duckdb"), read_only=True)
    try:
        metrics = dict(
            con.execute(
                "select metric_id, count(*) from indicator_values where geography_level = 'borough' group by 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert metrics.get("eyfs_gld", 0) > 0  # the boroughs' own figures are published
    assert not [m for m in metrics if m.endswith("_dfe_published")]  # and no DfE figures were invented
    with duckdb.connect(str(data / "work" / "warehouse.duckdb"), read_only=True) as work:
        assert work.execute("select count(*) from ref.reference_files").fetchone()[0] == 0
