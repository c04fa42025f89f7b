"""The benchmark: generate → full nightly → DuckDB-only limit → incremental night → full-refresh night.

Every pipeline step runs as a child process (``python -m fhub ...``) in a fresh data folder, timed and
memory-sampled from outside; see docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from fhub.settings import PROJECT_DIR, Paths
from fhub_dev.bench import dbtlog, machine
from fhub_dev.bench.result import BenchResult, verdicts
from fhub_dev.bench.runner import ChildRun, run_child
from fhub_dev.bench.stages import STAGES, parse_stage_times, stage_at
from fhub_dev.bench.table import append_row

SCALES = ("tiny", "demo", "london", "national")
DEFAULT_SEED = 42
#: The incremental night's day: inside the demo's last academic year (2025/26), after the bulk history.
DEFAULT_DAY = "2026-07-15"


def _fhub(*args: str) -> list[str]:
    return [sys.executable, "-m", "fhub", *args]


def _say(message: str) -> None:
    print(f"bench: {message}", flush=True)


#: The files an incremental night added to incoming/ (written by :func:`generate_day`): a later benchmark that
#: reuses incoming/ (``--skip-generate``) removes them first, or its full night would land them and its
#: incremental night would find nothing new.
DAY_FILES = "bench-logs/incremental-day-files.txt"


def incoming_files(paths: Paths) -> set[Path]:
    return {p for p in paths.incoming.rglob("*") if p.is_file()} if paths.incoming.exists() else set()


def reset_state(paths: Paths, keep_incoming: bool) -> None:
    """Empty the data folder so the full run starts from nothing (optionally keeping the generated files,
    but never an earlier benchmark's incremental-day files)."""
    if not paths.data.exists():
        return
    listed = paths.data / DAY_FILES
    if keep_incoming and listed.exists():
        for line in listed.read_text().splitlines():
            if line.strip():
                (paths.incoming / line.strip()).unlink(missing_ok=True)
    for child in paths.data.iterdir():
        if keep_incoming and child.name in {"incoming", "config"}:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def file_gb(path: Path) -> float | None:
    return path.stat().st_size / 1024**3 if path.exists() else None


def count_rows(work_db: Path) -> dict[str, int | None]:
    """Rows in the contact and EYFSP facts of the work file (read-only)."""
    import duckdb

    counts: dict[str, int | None] = {"fct_hub_contacts": None, "fct_eyfsp_results": None}
    if not work_db.exists():
        return counts
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        for table in counts:
            found = con.execute(
                "select table_schema from information_schema.tables where table_name = ? limit 1", [table]
            ).fetchone()
            if found:
                counts[table] = con.execute(f'select count(*) from "{found[0]}"."{table}"').fetchone()[0]
    finally:
        con.close()
    return counts


def nightly(label: str, env: dict[str, str], log_dir: Path, *extra: str) -> ChildRun:
    run = run_child(label, _fhub("run", *extra), env=env, cwd=PROJECT_DIR, log_path=log_dir / f"{label}.log")
    if not run.ok:
        _say(f"{label} FAILED (exit {run.returncode}); last lines:\n{run.tail()}")
    return run


def generate_day(env: dict[str, str], log_dir: Path, scale: str, seed: int, day: str, paths: Paths) -> ChildRun:
    """One day of new contact files for every borough (``python -m fhub_dev.demo --day``); the files it added are
    listed in :data:`DAY_FILES` (relative to incoming/)."""
    before = incoming_files(paths)
    run = run_child(
        "generate-day",
        [sys.executable, "-m", "fhub_dev.demo", "--scale", scale, "--seed", str(seed), "--day", day, "--progress"],
        env=env,
        cwd=PROJECT_DIR,
        log_path=log_dir / "generate-day.log",
    )
    added = sorted(str(p.relative_to(paths.incoming)) for p in incoming_files(paths) - before)
    (paths.data / DAY_FILES).write_text("".join(f"{name}\n" for name in added))
    if not added:
        run.returncode = run.returncode or 1
        run.lines.append((run.seconds, "bench: the incremental day added no new file to incoming/"))
    return run


def run_benchmark(args: argparse.Namespace) -> BenchResult:
    data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / "fhub-bench" / args.scale).resolve()
    paths = Paths(project=PROJECT_DIR, data=data_dir)
    env = {
        "FHUB_DATA_DIR": str(data_dir),
        "FHUB_MODE": "demo",
        "FHUB_DUCKDB_TEMP_DIR": str(paths.work_dir / "duckdb-tmp"),
        # the DuckDB-only limit re-reads the deliveries and --skip-generate reuses them: keep them in incoming/
        # (an ordinary production night, whose landed files have left incoming/, hashes fewer files than this)
        "FHUB_INCOMING_AFTER_LANDING": "keep",
        # london/national demo mappings are rendered by the generator under <data>/config/boroughs-<scale>
        "FHUB_BOROUGH_CONFIG_DIR": str(data_dir / "config" / f"boroughs-{args.scale}")
        if args.scale in ("london", "national")
        else "",
    }
    gen_env = {**env, "FHUB_BOROUGH_CONFIG_DIR": ""}  # the generator picks (and renders) its own folder
    result = BenchResult(
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        commit=machine.git_commit(PROJECT_DIR),
        machine=machine.describe(),
        scale=args.scale,
    )
    load_start = os.getloadavg()[0]
    reset_state(paths, keep_incoming=args.skip_generate)
    log_dir = data_dir / "bench-logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    details: dict = {"data_dir": str(data_dir), "env": env}

    if not args.skip_generate:
        _say(f"generating {args.scale} demo data into {data_dir} (timed separately)")
        gen = run_child(
            "generate",
            [sys.executable, "-m", "fhub_dev.demo", "--scale", args.scale, "--seed", str(args.seed), "--progress"],
            env=gen_env,
            cwd=PROJECT_DIR,
            log_path=log_dir / "generate.log",
        )
        if not gen.ok:
            raise SystemExit(f"demo generation failed:\n{gen.tail()}")
        result.generate_s = gen.seconds
        details["generate_peak_gb"] = gen.memory.peak_gb

    _say("full nightly run (fhub run), end to end")
    full = nightly("full", env, log_dir)
    stage_times = parse_stage_times(full.lines)
    result.stages = stage_times.stages
    result.full_s = full.seconds
    result.peak_gb = full.memory.peak_gb
    result.peak_stage = stage_at(stage_times, full.memory.peak_at)
    known = [s for s in stage_times.stages.values() if s is not None]
    result.overhead_s = full.seconds - sum(known) if known else None
    nodes = dbtlog.node_times(text for _, text in full.lines)
    details["full"] = {
        "ok": full.ok,
        "flow_s": stage_times.flow_seconds,
        "failed_tasks": stage_times.failed_tasks,
        "dbt_seconds_by_kind": dbtlog.totals_by_kind(nodes),
    }
    if not full.ok:
        failed = ", ".join(stage_times.failed_tasks) or "see bench-logs/full.log"
        result.notes.append(f"full run exited {full.returncode} (failed: {failed})")
    # the work file is complete once the flow has published: the limit and later nights still make sense
    usable = full.ok or stage_times.stages.get("publish") is not None
    counts = count_rows(paths.work_db)
    result.contacts, result.eyfsp_pupils = counts["fct_hub_contacts"], counts["fct_eyfsp_results"]
    result.work_db_gb = file_gb(paths.work_db)
    result.published_db_gb = file_gb(paths.published_db)

    save(result, details, data_dir, load_start)

    if usable and not args.no_limit:
        _say(
            "DuckDB-only limit: read_csv of the deliveries, then the compiled model SQL on a copy of the work file"
        )
        limit = run_child(
            "limit",
            [
                sys.executable,
                "-m",
                "fhub_dev.bench.limit",
                "--work-db",
                str(paths.work_db),
                "--project",
                str(PROJECT_DIR),
                "--incoming",
                str(paths.incoming),
                "--scratch",
                str(data_dir / "bench-limit"),
            ],
            env=env,
            cwd=PROJECT_DIR,
            log_path=log_dir / "limit.log",
            echo=False,
        )
        payload = next((t for _, t in reversed(limit.lines) if t.startswith("{")), None)
        if limit.ok and payload:
            data = json.loads(payload)
            result.limit_landing_s, result.limit_models_s = data["landing_s"], data["models_s"]
            data["peak_gb"] = limit.memory.peak_gb
            details["limit"] = data
            if data["model_errors"]:
                result.notes.append(f"limit: {len(data['model_errors'])} models failed in plain DuckDB")
            details["model_compare"] = compare_models(nodes, data["model_times"])
        else:
            result.notes.append("limit run failed")
            _say(f"limit FAILED:\n{limit.tail()}")
        shutil.rmtree(data_dir / "bench-limit", ignore_errors=True)

    save(result, details, data_dir, load_start)

    if usable and args.incremental:
        _say("incremental night: one new day of files for every borough, then fhub run")
        day = generate_day(gen_env, log_dir, args.scale, args.seed, args.day, paths)
        if day.ok:
            inc = nightly("incremental", env, log_dir)
            details["incremental"] = {
                "ok": inc.ok,
                "stages": parse_stage_times(inc.lines).stages,
                "generate_day_s": day.seconds,
            }
            inc_times = parse_stage_times(inc.lines)
            if not inc.ok:
                result.notes.append(
                    f"incremental run exited {inc.returncode} ({', '.join(inc_times.failed_tasks)})"
                )
            if inc.ok or inc_times.stages.get("publish") is not None:
                result.incremental_s = inc.seconds
                result.incremental_peak_gb = inc.memory.peak_gb
        else:
            result.notes.append("could not generate an incremental day")
            _say(f"generate-day FAILED:\n{day.tail()}")
        save(result, details, data_dir, load_start)
        _say("full-rebuild night: fhub run --full-refresh")
        rebuild = nightly("full-refresh", env, log_dir, "--full-refresh")
        details["full_refresh"] = {
            "ok": rebuild.ok,
            "stages": parse_stage_times(rebuild.lines).stages,
            "peak_gb": rebuild.memory.peak_gb,
        }
        rebuild_times = parse_stage_times(rebuild.lines)
        if not rebuild.ok:
            result.notes.append(
                f"full-refresh run exited {rebuild.returncode} ({', '.join(rebuild_times.failed_tasks)})"
            )
        if rebuild.ok or rebuild_times.stages.get("publish") is not None:
            result.full_refresh_s = rebuild.seconds

    save(result, details, data_dir, load_start)
    return result


def save(result: BenchResult, details: dict, data_dir: Path, load_start: float) -> None:
    """Write ``bench-result.json`` (after every phase, so an interrupted benchmark keeps its figures)."""
    result.load_avg = (load_start, os.getloadavg()[0])
    details["result"] = result.as_dict()
    details["verdicts"] = [asdict(v) for v in verdicts(result)]
    (data_dir / "bench-result.json").write_text(json.dumps(details, indent=2, default=str))


def result_from_json(path: Path) -> BenchResult:
    """The :class:`BenchResult` saved in a ``bench-result.json`` (to append an interrupted run's row)."""
    data = json.loads(path.read_text())["result"]
    fields = {f for f in BenchResult.__dataclass_fields__}
    values = {k: v for k, v in data.items() if k in fields}
    if values.get("load_avg") is not None:
        values["load_avg"] = tuple(values["load_avg"])
    return BenchResult(**values)


def compare_models(nodes: list[dbtlog.NodeTime], limit_times: dict[str, float], top: int = 12) -> list[dict]:
    """The slowest models inside dbt build next to the same model's SQL run directly in DuckDB."""
    in_dbt = {n.name: n.seconds for n in nodes if n.kind == "model"}
    names = sorted(
        set(in_dbt) | set(limit_times), key=lambda n: -max(in_dbt.get(n, 0), limit_times.get(n, 0))
    )
    return [{"model": n, "dbt_s": in_dbt.get(n), "duckdb_s": limit_times.get(n)} for n in names[:top]]


def print_summary(result: BenchResult, data_dir: Path) -> None:
    print()
    print(f"== fhub bench: scale={result.scale} commit={result.commit} on {result.machine}")
    if result.load_avg:
        print(f"load average (1 min) at start/end: {result.load_avg[0]:.1f} / {result.load_avg[1]:.1f}")
    print(f"rows: contacts={result.contacts} eyfsp_pupils={result.eyfsp_pupils}")
    print(f"generate: {result.generate_s and round(result.generate_s, 1)} s (not part of the nightly figure)")
    for stage in STAGES:
        value = result.stages.get(stage)
        print(f"  {stage:9} {'–' if value is None else f'{value:8.1f} s'}")
    print(f"  overhead  {result.overhead_s or 0:8.1f} s (process start-up incl. Prefect server, shut-down)")
    print(f"full nightly run: {result.full_s:.1f} s, peak memory {result.peak_gb:.2f} GB (process tree)"
          + (f", reached during {result.peak_stage}" if result.peak_stage else ""))
    if result.limit_s is not None:
        print(
            f"DuckDB-only limit: {result.limit_s:.1f} s (landing read_csv {result.limit_landing_s:.1f} s + "
            f"models {result.limit_models_s:.1f} s); ratio {result.ratio:.2f}×"
        )
    if result.incremental_s is not None:
        print(f"incremental night: {result.incremental_s:.1f} s = {result.incremental_pct:.0f} % of full")
    if result.full_refresh_s is not None:
        print(f"full-refresh night: {result.full_refresh_s:.1f} s")
    for verdict in verdicts(result):
        print(f"  target {verdict.text()}")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"details: {data_dir / 'bench-result.json'} and {data_dir / 'bench-logs'}/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fhub bench", description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="london")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--data-dir", help="runtime folder (default: $TMPDIR/fhub-bench/<scale>); wiped first"
    )
    parser.add_argument("--skip-generate", action="store_true", help="reuse the incoming files already there")
    parser.add_argument(
        "--incremental",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run an incremental night and a --full-refresh night (default: yes)",
    )
    parser.add_argument(
        "--day",
        default=DEFAULT_DAY,
        help=f"the incremental night's new day of contacts (default {DEFAULT_DAY})",
    )
    parser.add_argument("--no-limit", action="store_true", help="skip the DuckDB-only limit")
    parser.add_argument("--no-append", action="store_true", help="do not append a row to BENCHMARKS.md")
    parser.add_argument("--benchmarks-file", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")
    parser.add_argument(
        "--from-json", type=Path, help="only append the row saved in this bench-result.json (interrupted run)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if args.from_json:
        row = append_row(args.benchmarks_file, result_from_json(args.from_json))
        print(f"appended to {args.benchmarks_file}:\n{row}")
        return 0
    result = run_benchmark(args)
    data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / "fhub-bench" / args.scale).resolve()
    print_summary(result, data_dir)
    if not args.no_append:
        row = append_row(args.benchmarks_file, result)
        print(f"appended to {args.benchmarks_file}:\n{row}")
    return 0 if result.full_s is not None and not result.notes else 1
