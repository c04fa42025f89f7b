"""CSV exports following Explore Education Statistics' data-file conventions: a data file ``<name>.csv``
(UTF-8, comma-separated, one header row) and its metadata file ``<name>.meta.csv`` with the columns
``col_name, col_type, label, indicator_grouping, indicator_unit, indicator_dp, filter_hint,
filter_grouping_column`` (:data:`META_COLUMNS`), one row per filter or indicator.

How a published relation maps onto that:

* numeric columns are **indicators** (``indicator_dp`` 0 for whole numbers, the scale of a decimal, else 1;
  ``indicator_unit`` ``%`` for ``*_pct``/``*percent*`` columns, ``pp`` for ``*_pp`` columns, else blank);
* every other column is a **filter** (text, codes, dates, true/false), except EES's observational units
  (``time_period``, ``geographic_level``, geography code/name columns: :data:`OBSERVATIONAL_UNITS`) and
  columns EES would take for geography (its regular expression, :data:`GEOGRAPHY_LIKE`), which stay in the data
  file without a metadata row, as EES expects;
* labels are the column names in words (unique, as EES requires); the dbt description of each column is in
  the data dictionary and the Parquet file;
* an empty indicator cell is never blank (EES refuses blanks): it holds the row's ``suppression_symbol`` where the
  relation has one (``c`` suppressed, ``x`` withheld or not available), else ``x`` (not available);
* text cells that begin with ``= + - @`` get a leading apostrophe, as in every export (spreadsheet formulas).

The rules are checked by :mod:`fhub.exports.ees_check` on every export before the publish.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from fhub.landing.sqlkit import ident, lit

META_COLUMNS = ("col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp",
                "filter_hint", "filter_grouping_column")
OPTIONAL_META_COLUMNS = ("filter_default",)
#: EES's observational units: time and geography columns that never have a metadata row.
OBSERVATIONAL_UNITS = frozenset({
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "lad_code", "lad_name", "pcon_code", "pcon_name",
    "ward_code", "ward_name", "school_laestab", "school_name", "school_urn", "provider_ukprn", "provider_name",
})
#: The regular expression EES's screener uses to catch geography columns labelled as filters.
GEOGRAPHY_LIKE = re.compile(
    r"(^(sch|prov|inst|estab|reg|la|local|rsc|pfa|pcon|lep|mca|oa|ward|mat).*(name|code|urn|ukprn|number|upin|id)$)"
    r"|(^(laestab|estab|sch|school|schools|prov|provider|providers|inst|institution|institutions|name|code|urn|"
    r"ukprn|number|upin|id|region|la|lad|rsc|pcon|lep|mca|oa|ward|mat)$)",
    re.IGNORECASE,
)
_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT"}
_FLOAT = {"FLOAT", "DOUBLE", "REAL"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
NOT_AVAILABLE = "x"
#: Numeric columns that are categories, not measures: filters.
NUMERIC_FILTERS = frozenset({"layer"})
#: Counts stored as decimals (DOUBLE) are shown without decimals.
_COUNT_LIKE = re.compile(r"(^|_)(numerator|denominator|children|count|rows|deliveries|checks)(_|$)")


def is_numeric(dtype: str) -> bool:
    return dtype in _INTEGER or dtype in _FLOAT or bool(_DECIMAL.fullmatch(dtype))


def label_of(column: str) -> str:
    text = column.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def unit_of(column: str) -> str:
    if column.endswith("_pp") or "_pp_" in column:
        return "pp"
    if column.endswith("_pct") or "percent" in column or "_pct_" in column:
        return "%"
    return ""


def dp_of(dtype: str, column: str = "") -> str:
    if dtype in _INTEGER or _COUNT_LIKE.search(column):
        return "0"
    found = _DECIMAL.fullmatch(dtype)
    return found.group(2) if found else "1"


def meta_rows(types: dict[str, str]) -> list[dict[str, str]]:
    """The metadata rows of a relation with these column types (column -> DuckDB type, in order)."""
    rows = []
    for column, dtype in types.items():
        blank = dict.fromkeys(META_COLUMNS, "")
        if is_numeric(dtype) and column not in NUMERIC_FILTERS:
            rows.append({**blank, "col_name": column, "col_type": "Indicator", "label": label_of(column),
                         "indicator_unit": unit_of(column), "indicator_dp": dp_of(dtype, column)})
        elif column not in OBSERVATIONAL_UNITS and not GEOGRAPHY_LIKE.search(column):
            rows.append({**blank, "col_name": column, "col_type": "Filter", "label": label_of(column)})
    return rows


def write_meta(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=META_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def data_select(table: str, types: dict[str, str], indicators: set[str]) -> str:
    """``select`` writing ``table`` the EES way: indicator blanks as symbols, text formula-neutralised."""
    symbol = ("coalesce(nullif(suppression_symbol, ''), 'x')" if "suppression_symbol" in types
              else f"'{NOT_AVAILABLE}'")
    parts = []
    for column, dtype in types.items():
        q = ident(column)
        if column in indicators:
            parts.append(f"coalesce(cast({q} as varchar), {symbol}) as {q}")
        elif dtype == "VARCHAR":
            parts.append(f"case when left({q}, 1) in ('=', '+', '-', '@') then '''' || {q} else {q} end as {q}")
        else:
            parts.append(q)
    return f"select {', '.join(parts)} from main.{ident(table)}"  # noqa: S608


def write_ees_csv(con: duckdb.DuckDBPyConnection, table: str, types: dict[str, str], folder: Path) -> list[Path]:
    """``<table>.csv`` and ``<table>.meta.csv`` into ``folder``; returns both paths."""
    rows = meta_rows(types)
    indicators = {r["col_name"] for r in rows if r["col_type"] == "Indicator"}
    data_path, meta_path = folder / f"{table}.csv", folder / f"{table}.meta.csv"
    con.execute(f"copy ({data_select(table, types, indicators)}) to {lit(data_path)} (header, delimiter ',')")
    write_meta(meta_path, rows)
    return [data_path, meta_path]
