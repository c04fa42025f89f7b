"""Leak checks for the hostile-input catalogue (issue 13): what a borough's file holds - cells, headings, sheet
names, its file name - must never be quoted in anything that can leave the work file, and no identifier-like
substring may reach the work file's text columns."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import duckdb

from fhub.contracts import CONTRACTS
from fhub.dq.landing_results import landing_check_results
from fhub.landing.land import _progress_line
from fhub.landing.mapping import PeriodError, parse_period
from fhub.landing.result import DeliveryOutcome
from fhub.landing.sqlkit import ident
from fhub.privacy import duckdb_functions
from tests.badinput.fixtures import CONTACTS_SPEC, HUBS_CSV

#: Columns that keep a delivered file name in the work file by design (never published).
ORIGINAL_NAME_COLUMNS = {"source_file"}


def _allowed(specs: tuple[dict, ...] = ()) -> set[str]:
    """What a message may name: agreed headings, agreed codes and their source spellings, known hub ids (of the
    contacts mapping and any other file spec of the case)."""
    allowed: set[str] = set()
    for spec in (CONTACTS_SPEC, *specs):
        allowed |= set(spec["columns"].values()) | set(spec.get("ignore_columns") or ())
        for vmap in (spec.get("values") or {}).values():
            allowed |= {str(k) for k in vmap}
        for column in CONTRACTS[spec["extract"]].columns:
            allowed |= set(column.allowed)
    allowed |= {line.split(",")[0] for line in HUBS_CSV.splitlines()[1:]}
    return allowed


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def file_texts(path: Path, spec: dict, extra_specs: tuple[dict, ...] | list[dict] = ()) -> set[str]:
    """Every cell, heading and sheet name of a delivered file (as text), and its name unless it follows the
    agreed pattern - minus what messages may name (agreed headings and codes, hub ids) and short tokens."""
    texts: set[str] = set()
    data = path.read_bytes()
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for ws in wb.worksheets:
            texts.add(ws.title)
            for row in ws.iter_rows(values_only=True):
                texts |= {str(int(v) if isinstance(v, float) and v.is_integer() else v) for v in row if v is not None}
        wb.close()
    except Exception:  # noqa: BLE001 - not a workbook: read it as delimited text
        text = _decode(data)
        for delimiter in (",", ";", "|", "\t"):
            try:
                for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                    texts |= {c.strip() for c in cells}
            except csv.Error:
                pass
    matched = [(s, re.fullmatch(s["pattern"], path.name, re.ASCII)) for s in ({**CONTACTS_SPEC, **spec}, *extra_specs)]
    if not any(m for _, m in matched):
        texts |= {path.name, path.stem}
    allowed = _allowed(tuple(extra_specs)) | {spec.get("sheet") or ""}
    for s, m in matched:  # the period the file name declares may be named (e.g. an academic year in a cell)
        if m:
            try:
                allowed.add(parse_period(m.group("period"), s["period_format"]))
            except PeriodError:
                pass
    return {t for t in texts if len(t) >= 4 and t not in allowed and not (t.isdigit() and len(t) < 7)}


def shown_texts(paths, out: DeliveryOutcome, run_id: str) -> dict[str, str]:
    """Everything landing showed about one delivery, by where it was shown."""
    shown = {
        "outcome": " | ".join(str(x) for x in (out.reason, out.fix, *(t for w in out.file_warnings for t in w))),
        "progress line": _progress_line(1, 1, out),
    }
    for p in list(paths.receipts.rglob("*.*")) + list(paths.quarantine.rglob("reason.txt")):
        shown[str(p)] = p.read_text(encoding="utf-8", errors="replace")
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        for table in ("rejects", "warnings", "quarantine"):
            cols = [c for c in _text_columns(con, "landing", table) if c not in ORIGINAL_NAME_COLUMNS]
            rows = con.execute(f"select {', '.join(cols)} from landing.{table}").fetchall()
            shown[f"landing.{table}"] = " | ".join(str(v) for r in rows for v in r if v is not None)
        shown["landing.deliveries.delivery_label"] = " | ".join(
            r[0] for r in con.execute("select delivery_label from landing.deliveries").fetchall())
        results = landing_check_results(con, run_id)
        shown["dq results"] = " | ".join(f"{r.check_id} {r.target_relation} {r.message} {r.fix}" for r in results)
    finally:
        con.close()
    shown["quarantine folder"] = " | ".join(p.name for p in paths.quarantine.rglob("*") if p.is_file())
    return shown


def quoted(shown: dict[str, str], needles: set[str]) -> list[tuple[str, str]]:
    """(where, needle) for every needle found in what was shown: as a whole word, case-sensitively (a sheet
    called 'Data' is not quoted by 'the data was found'); a needle with digits also with any spacing."""
    found = []
    for where, text in shown.items():
        squashed = re.sub(r"\s+", "", text)
        for n in needles:
            if re.search(r"(?<![A-Za-z0-9])" + re.escape(n) + r"(?![A-Za-z0-9])", text) or (
                    any(ch.isdigit() for ch in n) and len(n) >= 6 and re.sub(r"\s+", "", n) in squashed):
                found.append((where, n))
    return found


def _text_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "and data_type = 'VARCHAR' order by ordinal_position", [schema, table]).fetchall()]


def identifier_like_text(db: Path, schemas: tuple[str, ...] = ("raw", "landing")) -> list[str]:
    """``schema.table.column: kinds`` for every text column of the work file holding an identifier-like
    substring (``fhub_identifier_kinds``), except the columns that keep a file's original name."""
    con = duckdb.connect(str(db), read_only=True)
    duckdb_functions.register(con)
    found = []
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables where table_schema in "
                             f"({', '.join(repr(s) for s in schemas)}) order by all").fetchall()
        for schema, table in tables:
            for col in _text_columns(con, schema, table):
                if col in ORIGINAL_NAME_COLUMNS:
                    continue
                kinds = con.execute(
                    f"select string_agg(distinct k, ',') from (select "
                    f"{duckdb_functions.identifier_kinds_sql(ident(col))} as k from {ident(schema)}.{ident(table)}) "
                    "where k is not null").fetchone()[0]
                if kinds:
                    found.append(f"{schema}.{table}.{col}: {kinds}")
    finally:
        con.close()
    return found
