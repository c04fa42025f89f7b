"""Run the real pipeline (``python -m fhub ...``) in subprocesses against a throw-away data folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[2]

#: Columns whose values legitimately differ between two runs over the same data.
VOLATILE_COLUMNS = {
    "run_id",
    "_run_id",
    "loaded_at",
    "_loaded_at",
    "received_at",
    "manifest_json",
    "checked_at",
    "published_at",
    "generated_at",
}


def fhub(data_dir: Path, *args: str, server: dict | None = None, env: dict | None = None, timeout=900):
    """``env`` values of None remove the variable (e.g. PREFECT_API_URL: a temporary server of its own)."""
    full_env = {k: v for k, v in os.environ.items() if k != "FHUB_FAULT_AT"}
    full_env.update({"FHUB_DATA_DIR": str(data_dir), "FHUB_MODE": "demo", **(server or {}), **(env or {})})
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-m", "fhub", *args],
        cwd=PROJECT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def generate(incoming: Path, scale: str = "tiny", seed: int = 7) -> None:
    from fhub_dev.demo import generate as generate_extracts

    generate_extracts(incoming, scale=scale, seed=seed)


def copy_state(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def _stable(value):
    """Floats to 9 significant digits: DuckDB's parallel sums may differ in the last bits between runs."""
    return float(f"{value:.9g}") if isinstance(value, float) else value


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (volatile columns dropped), sorted: a run-independent picture of a DuckDB file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by all"
        ).fetchall()
        out: dict[str, list[tuple]] = {}
        for schema, table in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if r[0] not in VOLATILE_COLUMNS
            ]
            if not cols:
                continue
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {select} from "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = sorted((tuple(_stable(v) for v in row) for row in rows), key=repr)
        return out
    finally:
        con.close()


def leftovers(data_dir: Path) -> list[Path]:
    """Temporary or partial files that must never be left beside the published file."""
    published = data_dir / "published"
    found = [p for p in published.glob(".*") if p.name not in {".", ".."}]
    found += list(published.glob("*.wal"))
    found += [p for p in (published / "exports").glob(".*")] if (published / "exports").exists() else []
    return found
