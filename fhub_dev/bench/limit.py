"""The DuckDB-only limit: the same transformations run directly in DuckDB, with no orchestration around them.

* Models: every dbt model the nightly built (tables, incremental models, views; ephemeral models are inlined
  by dbt's compiler), compiled with ``dbt compile --full-refresh`` (so incremental models compile to their
  full-rebuild SQL) into a separate target folder against a copy of the work file, executed in dependency
  order as plain ``create or replace table|view <relation> as <compiled sql>`` against a *copy* of the work
  file, with the profile's DuckDB settings (memory_limit, threads, temp_directory,
  preserve_insertion_order, disabled_compression_methods). dbt tests are not part of the limit (they are checks, not transformations).
* Landing: a plain ``read_csv`` of the delivered CSV files into tables of a scratch DuckDB file, one
  ``read_csv([...])`` per file layout (files grouped by suffix and heading line, as the pipeline's landing
  groups them; no mapping, validation, pseudonymisation or lineage). XLSX files cannot be read by DuckDB offline (no excel
  extension), so they are counted and left out of the landing limit.

Run as a child process by the benchmark (``python -m fhub_dev.bench.limit ...``) so its memory is measured the
same way; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from fhub.dbt.run_context import record_run_context
from fhub.settings import DUCKDB_DISABLED_COMPRESSION, duckdb_memory_limit

MATERIALISED = {"table": "table", "incremental": "table", "view": "view"}


def duckdb_settings(temp_dir: Path) -> dict[str, str]:
    """The same settings the dbt profile gives DuckDB (profiles/profiles.yml), from the same variables."""
    return {
        "memory_limit": duckdb_memory_limit(),
        "threads": os.environ.get("FHUB_DUCKDB_THREADS", "2"),
        "temp_directory": os.environ.get("FHUB_DUCKDB_TEMP_DIR", str(temp_dir)),
        "preserve_insertion_order": "false",
        "disabled_compression_methods": DUCKDB_DISABLED_COMPRESSION,
    }


def connect(path: Path, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    for name, value in duckdb_settings(temp_dir).items():
        con.execute(f"set {name} = '{value}'")
    return con


@dataclass
class ModelSql:
    unique_id: str
    name: str
    relation: str
    kind: str  # table | view | "" (ephemeral or other: ordered, not run)
    sql: str
    depends_on: list[str] = field(default_factory=list)


def load_models(target_dir: Path) -> list[ModelSql]:
    """Models of the last dbt compile, in dependency order, with their compiled SQL. Ephemeral models take
    part in the ordering (a model may depend on a table only through an ephemeral one) but are not run."""
    manifest = json.loads((target_dir / "manifest.json").read_text())
    graph: dict[str, ModelSql] = {}
    for uid, node in manifest["nodes"].items():
        if node.get("resource_type") != "model":
            continue
        kind = MATERIALISED.get(node.get("config", {}).get("materialized", ""), "")
        sql = node.get("compiled_code") or ""
        compiled = target_dir / "compiled" / node["package_name"] / node["original_file_path"]
        if kind and not sql and compiled.exists():
            sql = compiled.read_text()
        deps = [d for d in node.get("depends_on", {}).get("nodes", []) if d.startswith("model.")]
        relation = node.get("relation_name") or ""
        graph[uid] = ModelSql(uid, node["name"], relation, kind, sql.strip().rstrip(";"), deps)
    return [m for m in topological(graph) if m.kind and m.relation and m.sql]


def topological(models: dict[str, ModelSql]) -> list[ModelSql]:
    ordered: list[ModelSql] = []
    state: dict[str, int] = {}

    def visit(uid: str) -> None:
        if state.get(uid) == 2 or uid not in models:
            return
        if state.get(uid) == 1:
            raise ValueError(f"dependency cycle at {uid}")
        state[uid] = 1
        for dep in models[uid].depends_on:
            visit(dep)
        state[uid] = 2
        ordered.append(models[uid])

    for uid in sorted(models):
        visit(uid)
    return ordered


@dataclass
class LimitResult:
    models_s: float = 0.0
    model_times: dict[str, float] = field(default_factory=dict)
    model_errors: dict[str, str] = field(default_factory=dict)
    landing_s: float = 0.0
    landing_files: int = 0
    landing_rows: int = 0
    landing_bytes: int = 0
    xlsx_skipped: int = 0
    copy_s: float = 0.0
    compile_s: float = 0.0


def compile_full_refresh(project: Path, work_db: Path, target_dir: Path) -> None:
    """``dbt compile --full-refresh`` against ``work_db`` into ``target_dir`` (not part of the limit time)."""
    dbt = Path(sys.executable).with_name("dbt")
    env = {
        **os.environ,
        "FHUB_WORK_DB": str(work_db),
        "FHUB_DUCKDB_TEMP_DIR": str(target_dir / "duckdb-tmp"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cmd = [
        str(dbt),
        "compile",
        "--full-refresh",
        "--quiet",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project / "profiles"),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dbt compile failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def run_models(project: Path, work_db: Path, scratch: Path, result: LimitResult) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / work_db.name  # same basename -> same catalog name as in the compiled SQL
    started = time.monotonic()
    shutil.copyfile(work_db, copy)
    result.copy_s = time.monotonic() - started
    target_dir = scratch / "dbt-target"
    started = time.monotonic()
    compile_full_refresh(project, copy, target_dir)
    result.compile_s = time.monotonic() - started
    models = load_models(target_dir)
    # the marts' run id: dbt is not invoked here (no run_context_for), so it is recorded before the models run
    record_run_context(copy, "bench-limit", "bench")
    con = connect(copy, scratch / "duckdb-tmp")
    try:
        total = time.monotonic()
        for model in models:
            t0 = time.monotonic()
            try:
                con.execute(f"create or replace {model.kind} {model.relation} as {model.sql}")
            except duckdb.Error as exc:
                result.model_errors[model.name] = str(exc).splitlines()[0][:300]
            result.model_times[model.name] = time.monotonic() - t0
        result.models_s = time.monotonic() - total
    finally:
        con.close()
        copy.unlink(missing_ok=True)


def csv_layouts(csvs: list[Path]) -> list[list[Path]]:
    """CSV files grouped by layout (suffix and heading line), in first-seen order. Each group is read with ONE
    ``read_csv([...])``, as the pipeline's landing reads a group of same-layout files: reading file by file
    (one sniff and one table per file) is slower than the pipeline and would flatter the ratio."""
    groups: dict[tuple[str, bytes], list[Path]] = {}
    for path in csvs:
        with open(path, "rb") as fh:
            heading = fh.readline(64 * 1024).strip()
        groups.setdefault((path.suffix.lower(), heading), []).append(path)
    return list(groups.values())


def run_landing(incoming: Path, scratch: Path, result: LimitResult) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    db = scratch / "landing-limit.duckdb"
    db.unlink(missing_ok=True)
    files = sorted(p for p in incoming.rglob("*") if p.is_file())
    csvs = [p for p in files if p.suffix.lower() in {".csv", ".txt"}]
    result.xlsx_skipped = sum(1 for p in files if p.suffix.lower() in {".xlsx", ".xlsm"})
    con = connect(db, scratch / "duckdb-tmp")
    try:
        started = time.monotonic()
        for i, group in enumerate(csv_layouts(csvs)):
            con.execute(
                f"create table g{i} as select * from read_csv(?, all_varchar = true)", [[str(p) for p in group]]
            )
            result.landing_rows += con.execute(f"select count(*) from g{i}").fetchone()[0]
            result.landing_bytes += sum(p.stat().st_size for p in group)
        result.landing_s = time.monotonic() - started
        result.landing_files = len(csvs)
    finally:
        con.close()
        db.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fhub_dev.bench.limit")
    parser.add_argument("--work-db", type=Path, required=True)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--incoming", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, required=True)
    args = parser.parse_args(argv)
    result = LimitResult()
    run_landing(args.incoming, args.scratch, result)
    run_models(args.project, args.work_db, args.scratch, result)
    json.dump(asdict(result), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
