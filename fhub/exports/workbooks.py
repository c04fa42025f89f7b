"""One XLSX workbook per borough that delivers data (``workbooks/<borough code>.xlsx``): a cover sheet (what it
is, which run, contents), a notes sheet (what each table holds and how to read it), the full symbols key, then the
borough's rows of the published tables - its own and its hubs' indicator values, its GLD target tracker, hub
contribution, data availability and data-quality scorecard.

Everything comes from the published (suppressed) file: the same figures analysts query. An empty figure holds
its symbol (the row's ``suppression_symbol``, else ``x``) as in the CSV exports. Text is always written as a text
cell (never a formula), numbers as numbers. Written with XlsxWriter in constant-memory mode (row by row).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import xlsxwriter

from fhub.exports.docs import RelationDoc
from fhub.exports.ees import is_numeric
from fhub.exports.symbols import SYMBOLS

#: (sheet title, relation, how the borough's rows are found)
SHEETS: tuple[tuple[str, str, str], ...] = (
    ("Indicator values", "indicator_values",
     "geography_code = $code or geography_code in (select hub_id from main.hubs where borough_code = $code)"),
    ("GLD target tracker", "gld_target_tracker", "geography_code = $code"),
    ("Hub contribution", "hub_contribution", "borough_code = $code"),
    ("Data availability", "data_availability", "borough_code = $code"),
    ("DQ scorecard", "dq_scorecard", "borough_code = $code"),
)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'main'").fetchall()}


def participating_boroughs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(code, name) of the boroughs that deliver data (the published ``deliveries``)."""
    if not {"deliveries", "boroughs"} <= _tables(con):
        return []
    try:
        return con.execute(
            "select b.borough_code, b.borough_name from main.boroughs as b where b.borough_code in "
            "(select borough_code from main.deliveries) order by 2"
        ).fetchall()
    except duckdb.BinderException:  # not the mart's shape (a small test file): no borough workbooks
        return []



def _missing(value) -> bool:
    """No value: NULL, or a float that is not a number (NaN, infinity) - shown as the row's symbol."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))

class _Sheet:
    """Appends rows to an XlsxWriter worksheet: text as text, numbers as numbers."""

    def __init__(self, wb, title: str, widths: dict[int, int] | None = None) -> None:
        self.ws = wb.add_worksheet(title)
        self.bold = wb.bold
        self.row = 0
        for col, width in (widths or {}).items():
            self.ws.set_column(col, col, width)

    def append(self, values: list, bold: bool = False) -> None:
        fmt = self.bold if bold else None
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                self.ws.write_boolean(self.row, col, value, fmt)
            elif isinstance(value, float) and not math.isfinite(value):
                self.ws.write_string(self.row, col, "x", fmt)  # not available (a spreadsheet cannot hold NaN/inf)
            elif isinstance(value, int | float):
                self.ws.write_number(self.row, col, value, fmt)
            elif isinstance(value, dt.date | dt.datetime):
                self.ws.write_string(self.row, col, value.isoformat(), fmt)
            else:
                self.ws.write_string(self.row, col, str(value), fmt)
        self.row += 1


def _cover(sheet: _Sheet, name: str, code: str, run_id: str, code_version: str,
           contents: list[tuple[str, int]]) -> None:
    sheet.append([f"London family hubs outcomes - {name} ({code})"], bold=True)
    for line in (
        "",
        f"Published mart of run {run_id} (code version {code_version or 'unknown'}).",
        "The same suppressed figures as published/warehouse.duckdb: small numbers are suppressed (c) and figures "
        "whose delivery failed a data-quality check are withheld (x).",
        "Read the Notes and Symbols sheets before using the figures.",
        "",
    ):
        sheet.append([line])
    sheet.append(["Contents"], bold=True)
    sheet.append(["sheet", "rows"], bold=True)
    for title, rows in [("Notes", 0), ("Symbols", len(SYMBOLS)), *contents]:
        sheet.append([title, rows])


def _notes(sheet: _Sheet, docs: dict[str, RelationDoc]) -> None:
    sheet.append(["note", "text"], bold=True)
    notes = [
        "Figures are suppressed for disclosure control: a small count, or one from which a small count could be "
        "worked out, shows c. Figures withheld because the borough's delivery failed a data-quality check show "
        "x, with the reason in dq_reason.",
        "metric_id ending in _dfe_published are DfE's published statistics (never suppressed); eyfs_* metrics are "
        "computed from the pupil records the borough sends.",
        "The EYFS profile was reformed in 2021/22: trends never cross that break, and 2019/20-2020/21 have no "
        "results.",
        "compared_to_london / compared_to_england: the area's 95% confidence interval against the benchmark's "
        "value (better, similar, worse; or lower, similar, higher where the metric has no polarity).",
    ]
    for title, relation, _where in SHEETS:
        doc = docs.get(relation)
        if doc is not None:
            notes.append(f"{title} ({relation}): {doc.description}")
    for i, text in enumerate(notes, start=1):
        sheet.append([i, text])


def _symbols(sheet: _Sheet) -> None:
    sheet.append(["symbol", "name", "meaning"], bold=True)
    for row in SYMBOLS:
        sheet.append(list(row))


def _query(relation: str, where: str, code: str, what: str = "*") -> tuple[str, list[str]]:
    sql = f'select {what} from main."{relation}" where {where.replace("$code", "?")}'  # noqa: S608
    return sql, [code] * where.count("$code")


def _data_sheet(sheet: _Sheet, con: duckdb.DuckDBPyConnection, relation: str, where: str, code: str,
                doc: RelationDoc) -> int:
    columns = list(doc.types)
    sql, params = _query(relation, where, code)
    cur = con.execute(sql + " order by all", params)
    sheet.append(columns, bold=True)
    numeric = [is_numeric(doc.types[c]) for c in columns]
    symbol_at = columns.index("suppression_symbol") if "suppression_symbol" in columns else None
    rows = 0
    while batch := cur.fetchmany(5000):
        for row in batch:
            symbol = (row[symbol_at] if symbol_at is not None else None) or "x"
            sheet.append([(symbol if _missing(v) and numeric[i] else v) for i, v in enumerate(row)])
            rows += 1
    return rows


def write_workbooks(con: duckdb.DuckDBPyConnection, docs: dict[str, RelationDoc], folder: Path, run_id: str,
                    code_version: str = "") -> list[Path]:
    """One workbook per borough that delivers data into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    present = _tables(con)
    sheets = [(title, relation, where) for title, relation, where in SHEETS
              if relation in present and relation in docs and ("hubs" not in where or "hubs" in present)
              and where.split(" ", 1)[0] in docs[relation].types]
    written = []
    for code, name in participating_boroughs(con):
        path = folder / f"{code}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                             "strings_to_urls": False})
        wb.bold = wb.add_format({"bold": True})
        contents = [(title, con.execute(*_query(relation, where, code, "count(*)")).fetchone()[0])
                    for title, relation, where in sheets]
        _cover(_Sheet(wb, "Cover", {0: 100}), name, code, run_id, code_version, contents)
        _notes(_Sheet(wb, "Notes", {1: 120}), docs)
        _symbols(_Sheet(wb, "Symbols", {2: 110}))
        for title, relation, where in sheets:
            _data_sheet(_Sheet(wb, title), con, relation, where, code, docs[relation])
        wb.close()
        written.append(path)
    return written
