"""One file spec of a mapping file (``files[i]``), parsed section by section: what the file is (extract,
name pattern, period, format), how to read it, its columns and fixed values, its value maps, the columns it
ignores and its free-text columns."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path
from typing import Any

from fhub.contracts import CONTRACTS, REFERENCE_TEXT_COLUMNS, Contract
from fhub.landing.mapping.periods import PERIOD_FORMATS
from fhub.landing.mapping.spec import (
    _FILE_KEYS,
    _REQUIRED_FILE_KEYS,
    DEFAULT_PERIOD_TOLERANCE_DAYS,
    EXCEL_SERIAL,
    FILE_FORMATS,
    FREE_TEXT_POLICIES,
    FileSpec,
)
from fhub.landing.mapping.spec import fail as _fail


def _check_contract_value(path: Path, key: str, contract: Contract, column: str, value: Any) -> None:
    col = contract.column(column)
    if value is None:
        return
    if col.kind == "boolean" and not isinstance(value, bool):
        raise _fail(path, key, f"{value!r} is not a boolean for {column}", "write true or false")
    if col.kind == "code" and value not in col.allowed:
        raise _fail(
            path,
            key,
            f"{value!r} is not an allowed value of {column}",
            f"use one of: {', '.join(col.allowed)}",
        )
    if col.kind in ("integer", "decimal") and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _fail(path, key, f"{value!r} is not a number for {column}", "write a number")


def parse_file_spec(item: Any, path: Path, index: int) -> FileSpec:
    """``files[index]`` of the mapping file ``path``, checked section by section; :class:`MappingError` names
    the key and what to do."""
    extract, contract, where, pattern, period_format, fmt = _what_the_file_is(item, path, index)
    reading = _how_to_read(item, path, where, fmt)
    columns, constants = _columns_and_constants(item, path, where, extract, contract)
    values = _value_maps(item, path, where, extract, contract, columns)
    ignore = _ignored_columns(item, path, where, list(columns.values()))
    free_text = _parse_free_text(item.get("free_text"), path, where, contract, columns)
    return FileSpec(
        extract=extract,
        pattern=pattern,
        period_format=period_format,
        format=fmt,
        columns=columns,
        constants=dict(constants),
        values=values,
        ignore_columns=tuple(ignore),
        free_text=free_text,
        source_file=path,
        **reading,
    )


def _what_the_file_is(item: Any, path: Path, index: int) -> tuple[str, Contract, str, str, str, str]:
    """Extract type, file-name pattern (with its ``period`` group), period format and file format."""
    where = f"files[{index}]"
    if not isinstance(item, dict):
        raise _fail(path, where, "expected a mapping", "see docs/architecture.md for a file spec")
    unknown = set(item) - _FILE_KEYS
    if unknown:
        raise _fail(
            path,
            f"{where}.{sorted(map(str, unknown))[0]}",
            "unknown key",
            f"remove it or use one of {', '.join(sorted(_FILE_KEYS))}",
        )
    for key in _REQUIRED_FILE_KEYS:
        if item.get(key) in (None, ""):
            raise _fail(path, f"{where}.{key}", "missing", "add it (see docs/architecture.md)")
    extract = str(item["extract"])
    if extract not in CONTRACTS:
        raise _fail(
            path,
            f"{where}.extract",
            f"{extract!r} is not an extract type",
            f"use one of {', '.join(CONTRACTS)} (fhub.contracts.CONTRACTS)",
        )
    contract = CONTRACTS[extract]
    where = f"files[{index}] ({extract})"

    pattern = str(item["pattern"])
    try:
        rx = re.compile(pattern, re.ASCII)
    except re.error as exc:
        raise _fail(
            path,
            f"{where}.pattern",
            f"not a valid regular expression ({exc})",
            "fix the regex; quote it in single quotes so backslashes survive",
        ) from exc
    if "period" not in rx.groupindex:
        raise _fail(
            path,
            f"{where}.pattern",
            "has no named group 'period'",
            r"capture the period in the file name with (?P<period>...), e.g. (?P<period>\d{4}-\d{2})",
        )
    period_format = str(item["period_format"])
    if period_format not in PERIOD_FORMATS:
        raise _fail(
            path,
            f"{where}.period_format",
            f"{period_format!r} is not supported",
            f"use one of {', '.join(PERIOD_FORMATS)}",
        )
    fmt = str(item["format"]).lower()
    if fmt not in FILE_FORMATS:
        raise _fail(
            path, f"{where}.format", f"{fmt!r} is not supported", f"use one of {', '.join(FILE_FORMATS)}"
        )

    return extract, contract, where, pattern, period_format, fmt


def _how_to_read(item: Any, path: Path, where: str, fmt: str) -> dict[str, Any]:
    """Delimiter, encoding, sheet, heading row, date format and the period tolerance."""
    delimiter = item.get("delimiter", ",")
    if delimiter is None:
        delimiter = ","
    delimiter = str(delimiter).replace("\\t", "\t")
    if len(delimiter) != 1:
        raise _fail(
            path, f"{where}.delimiter", f"{delimiter!r} is not one character", "use e.g. ',', ';', '|'"
        )
    encoding = str(item.get("encoding") or "utf-8")
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise _fail(
            path,
            f"{where}.encoding",
            f"{encoding!r} is not a known encoding",
            "use e.g. utf-8, utf-8-sig, cp1252, latin-1",
        ) from exc
    sheet = item.get("sheet")
    if sheet is not None and fmt != "xlsx":
        raise _fail(path, f"{where}.sheet", "only applies to xlsx files", "remove it or set format: xlsx")
    sheet_pattern = item.get("sheet_pattern")
    if sheet_pattern is not None:
        if fmt != "xlsx":
            raise _fail(path, f"{where}.sheet_pattern", "only applies to xlsx files", "remove it or set format: xlsx")
        try:
            re.compile(str(sheet_pattern))
        except re.error as exc:
            raise _fail(path, f"{where}.sheet_pattern", f"not a valid regular expression ({exc})",
                        "write a regex matching the whole sheet name, e.g. 'Data( \\([0-9]+\\))?'") from exc
    tolerance = item.get("period_tolerance_days", DEFAULT_PERIOD_TOLERANCE_DAYS)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or tolerance < 0:
        raise _fail(path, f"{where}.period_tolerance_days", f"{tolerance!r} is not a number of days",
                    "write a whole number of days (0 or more) that event dates may fall outside the period")
    header_row = item.get("header_row", 1)
    if header_row is None:
        header_row = 1
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise _fail(
            path,
            f"{where}.header_row",
            f"{header_row!r} is not a row number",
            "write the 1-based row holding the column names (1 = first row)",
        )
    date_format = str(item.get("date_format") or "%Y-%m-%d")
    if date_format != EXCEL_SERIAL:
        if "%" not in date_format:
            raise _fail(
                path,
                f"{where}.date_format",
                f"{date_format!r} has no strptime directives",
                "use e.g. '%d/%m/%Y' or '%Y-%m-%d', or 'excel_serial'",
            )
        try:
            probe = dt.date(2024, 5, 13).strftime(date_format)
            dt.datetime.strptime(probe, date_format)
        except ValueError as exc:
            raise _fail(
                path,
                f"{where}.date_format",
                f"{date_format!r} is not a usable date format ({exc})",
                "use e.g. '%d/%m/%Y' or '%Y-%m-%d'",
            ) from exc

    return {
        "delimiter": delimiter,
        "encoding": encoding,
        "sheet": None if sheet is None else str(sheet),
        "sheet_pattern": None if sheet_pattern is None else str(sheet_pattern),
        "header_row": header_row,
        "date_format": date_format,
        "period_tolerance_days": tolerance,
    }


def _columns_and_constants(item: Any, path: Path, where: str, extract: str,
                           contract: Contract) -> tuple[dict[str, str], dict[str, Any]]:
    """Contract column → source column, and contract column → fixed value; every required column given."""
    columns = item.get("columns") or {}
    if not isinstance(columns, dict):
        raise _fail(
            path,
            f"{where}.columns",
            "expected 'contract column: source column' pairs",
            "write one 'person_id: ClientID' line per column",
        )
    columns = {str(k): v for k, v in columns.items()}
    for col, src in columns.items():
        if col not in contract.column_names:
            raise _fail(
                path,
                f"{where}.columns.{col}",
                f"unknown contract column for {extract}",
                f"use one of: {', '.join(contract.column_names)}",
            )
        if not isinstance(src, str) or not src:
            raise _fail(
                path,
                f"{where}.columns.{col}",
                f"{src!r} is not a source column name",
                "write the exact header text from the borough's file",
            )
    sources = list(columns.values())
    dupes = {s for s in sources if sources.count(s) > 1}
    if dupes:
        raise _fail(
            path,
            f"{where}.columns",
            f"source column {sorted(dupes)[0]!r} is mapped twice",
            "map each source column to one contract column",
        )

    constants = item.get("constants") or {}
    if not isinstance(constants, dict):
        raise _fail(path, f"{where}.constants", "expected 'contract column: value' pairs", "see the docs")
    for col, value in constants.items():
        if col not in contract.column_names:
            raise _fail(
                path,
                f"{where}.constants.{col}",
                f"unknown contract column for {extract}",
                f"use one of: {', '.join(contract.column_names)}",
            )
        if col in columns:
            raise _fail(
                path,
                f"{where}.constants.{col}",
                "is also mapped in columns",
                "either map it from a source column or give a constant, not both",
            )
        _check_contract_value(path, f"{where}.constants.{col}", contract, col, value)

    missing = [c for c in contract.required if c not in columns and c not in constants]
    if missing:
        raise _fail(
            path,
            f"{where}.columns",
            f"required contract column(s) not mapped: {', '.join(missing)}",
            "map them from a source column (columns:) or give a fixed value (constants:)",
        )

    return columns, constants


def _value_maps(item: Any, path: Path, where: str, extract: str, contract: Contract,
                columns: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per mapped column: source value → contract value."""
    values = item.get("values") or {}
    if not isinstance(values, dict):
        raise _fail(
            path,
            f"{where}.values",
            "expected 'contract column: {source value: contract value}'",
            "see docs/architecture.md",
        )
    parsed_values: dict[str, dict[str, Any]] = {}
    for col, vmap in values.items():
        key = f"{where}.values.{col}"
        if col not in contract.column_names:
            raise _fail(
                path,
                key,
                f"unknown contract column for {extract}",
                f"use one of: {', '.join(contract.column_names)}",
            )
        if col not in columns:
            raise _fail(
                path,
                key,
                "has a value map but is not mapped in columns",
                "add the column under columns: or remove the value map",
            )
        if not isinstance(vmap, dict) or not vmap:
            raise _fail(path, key, "expected {source value: contract value}", "e.g. {Y: true, N: false}")
        for src, val in vmap.items():
            _check_contract_value(path, f"{key}.{src}", contract, col, val)
        parsed_values[col] = {str(src): val for src, val in vmap.items()}

    return parsed_values


def _ignored_columns(item: Any, path: Path, where: str, sources: list[str]) -> list[str]:
    """Source columns deliberately not landed (never also mapped)."""
    ignore = item.get("ignore_columns") or []
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise _fail(
            path,
            f"{where}.ignore_columns",
            "expected a list of source column names",
            "write e.g. [Notes, Worker]",
        )
    clash = set(ignore) & set(sources)
    if clash:
        raise _fail(
            path,
            f"{where}.ignore_columns",
            f"{sorted(clash)[0]!r} is both mapped and ignored",
            "remove it from one of the two",
        )

    return ignore


def _parse_free_text(
    value: Any, path: Path, where: str, contract: Contract, columns: dict[str, str]
) -> dict[str, str]:
    """``free_text: {partner_name: scrub}``: contract text columns people type free text into, and what
    landing does with them (scrub: identifier-like substrings replaced by a tag; drop: never stored)."""
    if value is None:
        return {}
    key = f"{where}.free_text"
    if not isinstance(value, dict):
        raise _fail(path, key, "expected 'contract column: policy' pairs", "write e.g. {partner_name: scrub}")
    out: dict[str, str] = {}
    for col, policy in value.items():
        ckey = f"{key}.{col}"
        if col not in contract.column_names:
            raise _fail(path, ckey, f"unknown contract column for {contract.extract}",
                        f"use one of: {', '.join(contract.column_names)}")
        column = contract.column(col)
        if column.kind != "text" or col in REFERENCE_TEXT_COLUMNS:
            raise _fail(path, ckey, f"{col} is not a free-text column ({column.kind}"
                        + (", a reference" if col in REFERENCE_TEXT_COLUMNS else "") + ")",
                        "declare only text columns people type free text into (e.g. partner_name)")
        if policy not in FREE_TEXT_POLICIES:
            raise _fail(path, ckey, f"{policy!r} is not a free-text policy",
                        f"use one of: {', '.join(FREE_TEXT_POLICIES)}")
        if policy == "drop" and column.required:
            raise _fail(path, ckey, f"{col} is required, so it cannot be dropped", "use scrub")
        if col not in columns:
            raise _fail(path, ckey, "is not mapped in columns", "map it under columns: or remove it here")
        out[str(col)] = str(policy)
    return out
