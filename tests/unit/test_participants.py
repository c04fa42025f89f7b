"""Authorities outside London join by configuration (issue 7: national scale): their hubs are known to
landing, so their rows land instead of being rejected as 'not a known family hub'."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from fhub.landing.engine import load_hubs
from fhub.landing.participants import ensure_participant_tables, land_participants
from fhub.settings import PROJECT_DIR

SEED_HUBS = PROJECT_DIR / "seeds" / "reference" / "family_hubs.csv"


def _config(tmp_path: Path, hubs: str | None = None) -> Path:
    folder = tmp_path / "boroughs"
    folder.mkdir(exist_ok=True)
    (folder / "extra_boroughs.csv").write_text("borough_code,borough_name,slug\nE99000330,Birmingham,birmingham\n")
    (folder / "extra_family_hubs.csv").write_text(
        hubs
        if hubs is not None
        else "hub_id,hub_name,borough_code,lsoa_code,opened_on\n"
        "N330-01,Birmingham Family Hub 1,E99000330,E01966008,2020-04-01\n"
        "N330-02,Birmingham Family Hub 2,E99000330,,2021-09-01\n"
    )
    return folder


def test_extra_hubs_are_known_to_landing_next_to_the_london_seed(tmp_path):
    con = duckdb.connect()
    counts = land_participants(con, _config(tmp_path))
    assert counts == {"extra_authorities": 1, "extra_family_hubs": 2}
    assert load_hubs(con, SEED_HUBS)
    known = dict(con.execute("select hub_id, borough_code from _hubs").fetchall())
    assert known["N330-01"] == "E99000330"
    assert known["N330-02"] == "E99000330"
    assert any(code == "E09000012" for code in known.values())  # London's hubs are still there


def test_each_run_replaces_the_copy_and_no_files_means_empty_tables(tmp_path):
    con = duckdb.connect()
    folder = _config(tmp_path)
    land_participants(con, folder)
    (folder / "extra_family_hubs.csv").unlink()
    (folder / "extra_boroughs.csv").unlink()
    assert land_participants(con, folder) == {"extra_authorities": 0, "extra_family_hubs": 0}


def test_a_broken_hub_list_names_the_file_and_keeps_the_previous_copy(tmp_path):
    con = duckdb.connect()
    folder = _config(tmp_path)
    land_participants(con, folder)
    _config(tmp_path, hubs="hub_id,hub_name,borough_code,lsoa_code,opened_on\nN330-03,Hub 3,E99000330,,next week\n")
    with pytest.raises(ValueError, match="extra_family_hubs.csv"):
        land_participants(con, folder)
    assert con.execute("select count(*) from landing.extra_family_hubs").fetchone()[0] == 2


def test_tables_exist_for_dbt_even_without_a_landing(tmp_path):
    con = duckdb.connect()
    ensure_participant_tables(con)
    assert con.execute("select count(*) from landing.extra_authorities").fetchone()[0] == 0
    assert con.execute("select count(*) from landing.extra_family_hubs").fetchone()[0] == 0
