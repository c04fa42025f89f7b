"""Land one delivered file: hash → archive → match mapping → read → map/validate (SQL) → pseudonymise →
write raw rows + bookkeeping in ONE transaction (or quarantine the file). See :func:`land_one`."""

from __future__ import annotations

import datetime as dt
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from fhub.contracts import LINEAGE_COLUMNS, Contract
from fhub.landing.archive import archive_file, sha256_file
from fhub.landing.columns import plan_columns
from fhub.landing.quarantine import Unlandable, quarantine_file
from fhub.landing.read import Prepared, prepare_csv, prepare_xlsx
from fhub.landing.result import DeliveryOutcome
from fhub.landing.scan import NotUtf8, scan
from fhub.landing.sqlkit import MACROS, ident, lit
from fhub.landing.validate import Context, build_mapped, collect_problems
from fhub.pseudonymise import keyed_hash
from fhub.settings import Paths


@dataclass
class RunContext:
    paths: Paths
    run_id: str
    key: bytes
    key_label: str
    mappings: dict[str, Any]  # slug → BoroughMapping
    mapping_errors: dict[str, str]  # slug → why its mapping could not be loaded
    hubs_loaded: bool
    today: dt.date
    retry_quarantined: bool = False


def load_hubs(con: duckdb.DuckDBPyConnection, hubs_csv: Path | None) -> bool:
    if hubs_csv is None or not Path(hubs_csv).exists():
        return False
    con.execute(f"create or replace temp table _hubs as select distinct hub_id, borough_code from "
                f"read_csv({lit(str(hubs_csv))}, header = true, all_varchar = true)")
    return True


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in MACROS:
        con.execute(stmt)


def _match(rc: RunContext, slug: str, name: str) -> tuple[Any, Any, str]:
    from fhub.mapping import PeriodError

    mapping = rc.mappings.get(slug)
    if mapping is None:
        raise LookupError(rc.mapping_errors.get(slug) or f"No borough mapping file config/boroughs/{slug}.yml "
                          f"for the folder incoming/{slug}/.")
    try:
        hit = mapping.match(name)
    except PeriodError as exc:
        raise Unlandable(f"The file name '{name}' has a reporting period that is not a real period ({exc}).",
                         "Rename the file with the correct period and send it again.") from exc
    if hit is None:
        patterns = "; ".join(f"{s.extract}: {s.pattern}" for s in mapping.files)
        raise Unlandable(
            f"The file name '{name}' does not match any agreed file name for {mapping.borough_name}, so its "
            f"extract type and period are unknown.",
            f"Name the file as agreed (patterns: {patterns}). Files for another borough belong in that "
            "borough's folder.",
        )
    spec, period = hit
    return mapping, spec, period


def _prepare(path: Path, spec: Any, tmp: Path, force_encoding: str | None = None) -> Prepared:
    fmt = str(spec.format).lower()
    if fmt == "xlsx":
        return prepare_xlsx(path, spec, tmp)
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        raise Unlandable("The file is an Excel workbook (or other zip file), but a CSV file was agreed.",
                         "Save the sheet as 'CSV UTF-8 (Comma delimited)' and send that instead.")
    return prepare_csv(path, spec, tmp, force_encoding=force_encoding)


def land_one(con: duckdb.DuckDBPyConnection, rc: RunContext, slug: str, path: Path,
             received_at: dt.datetime | None = None) -> DeliveryOutcome:
    """Land one file (never raises for bad input: returns a quarantined/skipped/waiting outcome)."""
    name = path.name
    sha, size = sha256_file(path)
    out = DeliveryOutcome(source_file=name, borough_slug=slug, sha256=sha, status="landed")
    seen = con.execute("select status, source_file, run_id from landing.deliveries where delivery_id = ?",
                       [sha]).fetchone()
    if seen and not (seen[0] == "quarantined" and rc.retry_quarantined):
        out.status = "skipped"
        out.reason = (f"These exact bytes were already received as '{seen[1]}' (run {seen[2]}, status "
                      f"{seen[0]}); nothing was changed.")
        return out
    archive_file(path, rc.paths.archive, sha)
    received_at = received_at or dt.datetime.fromtimestamp(path.stat().st_mtime)
    try:
        mapping, spec, period = _match(rc, slug, name)
    except LookupError as exc:
        out.status = "waiting"
        out.reason = str(exc)
        out.fix = "Ask the hub data team to add or fix the borough mapping; the file stays in incoming/."
        return out
    except Unlandable as exc:
        return _quarantine(con, rc, out, path, size, received_at, exc.reason, exc.fix)
    out.borough_code, out.extract_type, out.period = mapping.borough_code, spec.extract, period
    tmp = rc.paths.work_dir / "landing-tmp" / sha[:16]
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        _land_rows(con, rc, out, path, spec, tmp, size, received_at)
    except Unlandable as exc:
        _drop_temps(con)
        return _quarantine(con, rc, out, path, size, received_at, exc.reason, exc.fix)
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
        _drop_temps(con)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
        return _quarantine(con, rc, out, path, size, received_at,
                           f"The pipeline could not process this file (internal error: {detail}).",
                           "Nothing to fix on your side yet: the hub data team has been told; the file is kept.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _drop_temps(con)
    return out


def _drop_temps(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass
    for t in ("_src0", "_src", "_struct", "_gaps", "_m", "_rej", "_warn", "_bad", "_keys",
              "_csv_rejects", "_csv_scans"):
        con.execute(f"drop table if exists temp.{t}")


def _land_rows(con: duckdb.DuckDBPyConnection, rc: RunContext, out: DeliveryOutcome, path: Path, spec: Any,
               tmp: Path, size: int, received_at: dt.datetime) -> None:
    contract: Contract = spec.contract
    prep = _prepare(path, spec, tmp)
    plan = plan_columns(prep.headers, spec)
    try:
        n_ok, n_struct = scan(con, prep)
    except NotUtf8:
        prep = _prepare(path, spec, tmp, force_encoding="cp1252")
        prep.warnings.append(("The file is not UTF-8 text; it was read as Windows-1252 (Excel's 'CSV').",
                              "No action needed, but exporting as 'CSV UTF-8' avoids wrong characters."))
        plan = plan_columns(prep.headers, spec)
        n_ok, n_struct = scan(con, prep)
    delivered = n_ok + n_struct
    if delivered == 0:
        raise Unlandable("The file has column headings but no data rows.",
                         "If the period really had no activity, tell the hub data team; otherwise re-export "
                         "the file with its data.")
    ctx = Context(borough_code=out.borough_code or "", period=out.period or "", today=rc.today,
                  hubs_loaded=rc.hubs_loaded)
    build_mapped(con, spec, plan, ctx)
    _check_borough(con, rc, out, n_ok)
    collect_problems(con, spec, plan, ctx)
    _hash_identifiers(con, rc.key, contract)
    con.execute("create or replace temp table _bad as select distinct _row from _rej")
    n_bad = con.execute("select count(*) from _bad").fetchone()[0]
    file_warnings: list[tuple[str | None, str, str]] = [(None, r, f) for r, f in prep.warnings] + plan.warnings
    if not rc.hubs_loaded and "hub_id" in contract.column_names:
        file_warnings.append((None, "Hub ids were not checked: no family hub list is available.",
                              "Hub data team: add seeds/reference/family_hubs.csv."))
    out.rows_delivered = delivered
    out.rows_rejected = n_bad + n_struct
    out.rows_landed = n_ok - n_bad
    out.rows_warned = con.execute("select count(distinct _row) from _warn").fetchone()[0]
    loaded_at = dt.datetime.now()
    newer = con.execute(
        "select delivery_id from landing.deliveries where borough_code = ? and extract_type = ? and period = ? "
        "and status = 'landed' and received_at > ? order by received_at desc limit 1",
        [out.borough_code, out.extract_type, out.period, received_at]).fetchone()
    if out.rows_landed == 0:
        file_warnings.append((None, "No row could be landed, so any earlier delivery for this period stays in use.",
                              "Fix the problems listed below and send the file again."))
    elif newer:
        out.status = "superseded"
        file_warnings.append((None, "A newer delivery for the same period was already landed, so this file is "
                              "kept in history only.", "No action needed if the newer file is the right one."))
    out.file_warnings = file_warnings
    con.execute("begin transaction")
    try:
        landed = _insert_raw(con, rc, out, contract, loaded_at)
        if landed != out.rows_landed:
            raise AssertionError(f"accounting: inserted {landed} rows, expected {out.rows_landed}")
        out.check_accounting()
        con.execute(
            "insert into landing.deliveries values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [out.sha256, out.borough_code, out.borough_slug, out.extract_type, out.period, out.source_file,
             out.sha256, size, received_at, loaded_at, rc.run_id, out.status, out.rows_delivered,
             out.rows_landed, out.rows_rejected, out.rows_warned, newer[0] if newer else None, rc.key_label])
        _insert_problems(con, rc, out, len(prep.headers))
        if out.status == "landed" and out.rows_landed > 0:
            out.supersedes = [r[0] for r in con.execute(
                "update landing.deliveries set status = 'superseded', superseded_by = ? "
                "where borough_code = ? and extract_type = ? and period = ? and status = 'landed' "
                "and delivery_id <> ? and received_at <= ? returning source_file",
                [out.sha256, out.borough_code, out.extract_type, out.period, out.sha256, received_at]).fetchall()]
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _check_borough(con: duckdb.DuckDBPyConnection, rc: RunContext, out: DeliveryOutcome, n_rows: int) -> None:
    """A file whose hubs mostly belong to one other borough was put in the wrong folder: refuse it whole."""
    if not rc.hubs_loaded or n_rows == 0 or "v_hub_id" not in {r[0] for r in con.execute("describe _m").fetchall()}:
        return
    top = con.execute("""select h.borough_code, count(*) from _m join _hubs h on h.hub_id = _m.v_hub_id
                         where h.borough_code <> ? group by 1 order by 2 desc limit 1""",
                      [out.borough_code]).fetchone()
    if top and top[1] * 2 > n_rows:
        other = next((m.borough_name for m in rc.mappings.values() if m.borough_code == top[0]), top[0])
        mine = rc.mappings[out.borough_slug].borough_name
        raise Unlandable(
            f"{top[1]:,} of {n_rows:,} rows are for hubs of {other} ({top[0]}), but the file was delivered "
            f"for {mine}. It looks like another borough's data.",
            f"Check the file: send {mine}'s own data in this folder, and {other}'s data in theirs.",
        )


def _hash_identifiers(con: duckdb.DuckDBPyConnection, key: bytes, contract: Contract) -> None:
    """HMAC once per distinct identifier value (in Python, :func:`fhub.pseudonymise.keyed_hash`), joined back."""
    ids = [c.name for c in contract.columns if c.kind == "identifier"]
    union = " union ".join(f"select {ident('v_' + c)} as v from _m" for c in ids)
    values = [r[0] for r in con.execute(f"select v from ({union}) where v is not null").fetchall()]
    table = pa.table({"v": pa.array(values, pa.string()),
                      "k": pa.array([keyed_hash(key, v) for v in values], pa.string())})
    con.register("_keys_arrow", table)
    try:
        con.execute("create or replace temp table _keys as select * from _keys_arrow")
    finally:
        con.unregister("_keys_arrow")


def _insert_raw(con: duckdb.DuckDBPyConnection, rc: RunContext, out: DeliveryOutcome, contract: Contract,
                loaded_at: dt.datetime) -> int:
    cols, exprs, joins = [], [], []
    for c in contract.columns:
        cols.append(ident(c.stored_name))
        if c.kind == "identifier":
            alias = ident("k_" + c.name)
            joins.append(f"left join _keys {alias} on {alias}.v = m.{ident('v_' + c.name)}")
            exprs.append(f"{alias}.k")
        else:
            exprs.append(f"m.{ident('v_' + c.name)}")
    cols += [ident(n) for n, _ in LINEAGE_COLUMNS]
    exprs += [lit(out.sha256), lit(out.source_file), lit(out.sha256), lit(out.borough_code),
              lit(out.extract_type), lit(out.period), "m._row", "cast(? as timestamp)", lit(rc.run_id)]
    res = con.execute(
        f"insert into raw.{ident(contract.raw_table)} ({', '.join(cols)}) "
        f"select {', '.join(exprs)} from _m m {' '.join(joins)} "
        + ("where not exists (select 1 from _bad b where b._row = m._row)" if out.rows_rejected else ""),
        [loaded_at]).fetchone()
    return int(res[0])


def _insert_problems(con: duckdb.DuckDBPyConnection, rc: RunContext, out: DeliveryOutcome, width: int) -> None:
    base = [out.sha256, out.source_file]
    con.execute("""
        insert into landing.rejects
        select ?, ?, _row, _line, col,
               case when kind = 'identifier' then null
                    else _fhub_excerpt(raw, count(*) over (partition by col, raw)) end,
               reason, fix, ?
        from _rej
    """, [*base, rc.run_id])
    if con.execute("select count(*) from duckdb_tables() where table_name = '_struct' and temporary").fetchone()[0]:
        if "reason" in {r[0] for r in con.execute("describe _struct").fetchall()}:
            con.execute(f"""
                insert into landing.rejects
                select ?, ?, _row, _line, null, null, reason,
                       'Make the row have exactly {width} values, one per column heading; put text containing '
                       || 'the separator in double quotes.', ?
                from _struct
            """, [*base, rc.run_id])
    for col, reason, fix in out.file_warnings:
        con.execute("insert into landing.warnings values (?, ?, null, null, ?, null, ?, ?, ?)",
                    [*base, col, reason, fix, rc.run_id])
    con.execute("""
        insert into landing.warnings
        select ?, ?, _row, _line, col, _fhub_excerpt(raw, count(*) over (partition by col, raw)), reason, fix, ?
        from _warn
    """, [*base, rc.run_id])


def _quarantine(con: duckdb.DuckDBPyConnection, rc: RunContext, out: DeliveryOutcome, path: Path, size: int,
                received_at: dt.datetime, reason: str, fix: str) -> DeliveryOutcome:
    quarantine_file(path, rc.paths.quarantine, out.sha256, reason, fix)
    out.status, out.reason, out.fix = "quarantined", reason, fix
    out.rows_delivered = out.rows_landed = out.rows_rejected = out.rows_warned = 0
    now = dt.datetime.now()
    con.execute("begin transaction")
    try:
        con.execute("delete from landing.deliveries where delivery_id = ?", [out.sha256])
        con.execute(
            "insert into landing.deliveries values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'quarantined', 0, 0, 0, 0, "
            "null, ?)",
            [out.sha256, out.borough_code, out.borough_slug, out.extract_type, out.period, out.source_file,
             out.sha256, size, received_at, now, rc.run_id, rc.key_label])
        con.execute("insert into landing.quarantine values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [out.sha256, out.borough_slug, out.source_file, out.sha256, reason, fix, rc.run_id, now])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return out
