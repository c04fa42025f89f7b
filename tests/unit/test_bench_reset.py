"""A benchmark that reuses generated files (--skip-generate) must not reuse an earlier incremental day: its
full night would land those files and its incremental night would find nothing new."""

from __future__ import annotations

from fhub.settings import PROJECT_DIR, Paths
from fhub_dev.bench.cli import DAY_FILES, reset_state


def test_reset_keeps_generated_files_but_removes_the_earlier_incremental_day(tmp_path):
    paths = Paths(project=PROJECT_DIR, data=tmp_path)
    bulk = paths.incoming / "hackney" / "hackney_contacts_2026-07.csv"
    day = paths.incoming / "hackney" / "hackney_contacts_daily_2026-07-15.csv"
    for f in (bulk, day):
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("id\n1\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "warehouse.duckdb").write_text("x")
    (tmp_path / DAY_FILES).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / DAY_FILES).write_text("hackney/hackney_contacts_daily_2026-07-15.csv\n")

    reset_state(paths, keep_incoming=True)

    assert bulk.exists()
    assert not day.exists()
    assert not (tmp_path / "work").exists()
    assert not (tmp_path / DAY_FILES).exists()
