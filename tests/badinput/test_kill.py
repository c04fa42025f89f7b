"""kill -9 between landing commits: the work file stays consistent (each group's transaction is all or
nothing), every original is already archived, and the next run lands the rest and ends in the same state
as an uninterrupted run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from fhub.landing import land_all
from tests.badinput.fixtures import KEY, TODAY, csv_text, good_row, setup
from tests.unit.test_landing_groups import EYFSP_SPEC, REGISTER_HEADERS, REGISTER_SPEC

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import sys
from pathlib import Path
from fhub import faults
from fhub.landing import land_all
from fhub.settings import Paths
from tests.badinput.fixtures import KEY, TODAY
tmp = Path(sys.argv[1])
paths = Paths(project=tmp / "project", data=tmp / "data")
def progress(message):
    print(message, flush=True)
    faults.point("land.mid")
land_all(paths, "run1", KEY, key_label="demo", config_dir=tmp / "config", hubs_csv=tmp / "hubs.csv", today=TODAY,
         progress=progress)
"""


def _deliver(tmp: Path):
    paths, config = setup(tmp, extra_specs=[REGISTER_SPEC, EYFSP_SPEC])
    folder = paths.incoming / "hackney"
    for m in ("01", "02", "03"):
        (folder / f"hackney_contacts_2024-{m}.csv").write_text(
            csv_text([good_row(i, int(m)) for i in range(1, 4 + int(m))]), encoding="utf-8")
    reg = [["X1", "F1", "parent_carer", "01/03/1975", "01/05/2024", "HAC-H01"],
           ["X2", "F1", "child", "01/01/2023", "01/05/2024", "nope"]]
    (folder / "hackney_register_2024-05.csv").write_text(csv_text(reg, REGISTER_HEADERS), encoding="utf-8")
    (folder / "hackney_eyfsp_2023-24.csv").write_text(
        csv_text([["U1", "2023/24", "01/10/2018"]], ["Pupil", "Year", "Born"]), encoding="utf-8")
    for i, f in enumerate(sorted(folder.iterdir())):
        os.utime(f, (1_700_000_000 + i,) * 2)
    return paths, config


def _state(paths) -> tuple:
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        deliveries = con.execute("select source_file, status, rows_delivered, rows_landed, rows_rejected "
                                 "from landing.deliveries order by 1").fetchall()
        raw = tuple(con.execute(f"select * exclude (_loaded_at, _run_id) from raw.{t} order by all").fetchall()
                    for t in ("hub_contacts", "hub_register", "eyfsp_results"))
        rejects = con.execute("select source_file, row_number, column_name, reason from landing.rejects "
                              "order by all").fetchall()
        return deliveries, raw, rejects
    finally:
        con.close()


def _consistent(paths) -> int:
    """Every recorded delivery has exactly its landed rows in raw; no raw row without a delivery."""
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        bad = con.execute("""
            with r as (select _delivery_id, count(*) as n from raw.hub_contacts group by 1
                       union all select _delivery_id, count(*) from raw.hub_register group by 1
                       union all select _delivery_id, count(*) from raw.eyfsp_results group by 1)
            select d.delivery_id, d.rows_landed, r.n from landing.deliveries d full join r
              on r._delivery_id = d.delivery_id
            where coalesce(d.rows_landed, -1) <> coalesce(r.n, 0)
        """).fetchall()
        assert bad == []
        return con.execute("select count(*) from landing.deliveries").fetchone()[0]
    finally:
        con.close()


def test_kill_between_group_commits_then_recover(tmp_path: Path) -> None:
    paths, config = _deliver(tmp_path / "killed")
    env = {**os.environ, "FHUB_FAULT_AT": "land.mid", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "killed")], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == -9, proc.stderr[-2000:]
    assert len(proc.stdout.strip().splitlines()) == 1  # killed right after the first progress message
    recorded = _consistent(paths)
    assert 1 <= recorded < 5  # the first group committed, the rest not yet
    archived = [p for p in paths.archive.rglob("*") if p.is_file()]
    assert len(archived) == 5  # every original archived before anything was recorded
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "killed" / "hubs.csv", today=TODAY)
    again = land_all(paths, "run2", KEY, **kw)
    assert sorted(d.status for d in again.deliveries).count("skipped") == recorded
    assert _consistent(paths) == 5

    clean_paths, clean_config = _deliver(tmp_path / "clean")
    land_all(clean_paths, "run1", KEY, key_label="demo", config_dir=clean_config,
             hubs_csv=tmp_path / "clean" / "hubs.csv", today=TODAY)
    assert _state(paths) == _state(clean_paths)
