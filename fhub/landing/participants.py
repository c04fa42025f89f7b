"""Participating authorities and family hubs beyond the London seeds: configuration, not code.

London's 33 boroughs and their hubs are dbt seeds (``seeds/reference/london_boroughs.csv``,
``family_hubs.csv``). An authority outside London joins by configuration, in the borough mapping folder
(``FHUB_BOROUGH_CONFIG_DIR``, default ``config/boroughs``) next to its mapping YAML:

* ``extra_boroughs.csv`` - ``borough_code, borough_name, slug`` (read by :mod:`fhub.landing.mapping` too);
* ``extra_family_hubs.csv`` - ``hub_id, hub_name, borough_code, lsoa_code, opened_on``.

Every landing run copies both files into ``landing.extra_authorities`` / ``landing.extra_family_hubs``
(replacing the previous copy in one transaction), so landing's hub checks and dbt's ``dim_boroughs`` /
``dim_hubs`` see the same list. With no such files both tables are empty.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from fhub.landing.mapping import EXTRA_BOROUGHS_FILE, EXTRA_HUBS_FILE
from fhub.landing.sqlkit import lit

_TABLES = {
    "extra_authorities": (EXTRA_BOROUGHS_FILE, {"borough_code": "varchar", "borough_name": "varchar",
                                                "slug": "varchar"}),
    "extra_family_hubs": (EXTRA_HUBS_FILE, {"hub_id": "varchar", "hub_name": "varchar",
                                            "borough_code": "varchar", "lsoa_code": "varchar",
                                            "opened_on": "date"}),
}


def ensure_participant_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the (empty) tables if missing: dbt reads them as sources."""
    con.execute("create schema if not exists landing")
    for table, (_, columns) in _TABLES.items():
        cols = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        con.execute(f"create table if not exists landing.{table} ({cols})")


def land_participants(con: duckdb.DuckDBPyConnection, config_dir: Path) -> dict[str, int]:
    """Replace both tables with the files in ``config_dir`` (empty when a file is absent). Returns row counts.
    A file that cannot be read raises ``ValueError`` naming it: the hub list decides which rows land, so a
    broken one must stop the landing rather than reject every row of a borough."""
    ensure_participant_tables(con)
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for table, (file_name, columns) in _TABLES.items():
            con.execute(f"delete from landing.{table}")
            path = Path(config_dir) / file_name
            if path.exists():
                types = "{" + ", ".join(f"{lit(n)}: {lit(t)}" for n, t in columns.items()) + "}"
                try:
                    con.execute(
                        f"insert into landing.{table} select {', '.join(columns)} from read_csv("
                        f"{lit(str(path))}, header = true, columns = {types}, auto_detect = false)"
                    )
                except duckdb.Error as exc:
                    raise ValueError(
                        f"{path}: cannot be read as {', '.join(columns)} ({str(exc).splitlines()[0]}). "
                        "Fix the file (one heading row with exactly these columns, dates as YYYY-MM-DD)."
                    ) from exc
            counts[table] = con.execute(f"select count(*) from landing.{table}").fetchone()[0]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts
