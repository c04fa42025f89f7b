"""Borough mapping files: ``config/boroughs/<slug>.yml`` → validated :class:`BoroughMapping` objects.

A mapping file says, for one borough, which delivered file names are which extract and period, how to read
them (CSV/XLSX, delimiter, encoding, header row, date format) and how their columns and code values map onto
the landing contract in :mod:`fhub.contracts`. The format is documented in ``docs/architecture.md``
("Borough mapping files").

Everything is checked when the file is loaded; a problem raises :class:`MappingError` naming the YAML file,
the key and what to do about it, so a borough data officer can fix the configuration without reading code.

YAML notes (deliberate, so configuration means what it says):

* keys are always read as their literal text, so ``{Y: true, N: false}``, ``{1: true, 0: false}``,
  ``{Yes: true}`` and ``{01: infant_feeding}`` map the source values ``"Y"``, ``"1"``, ``"Yes"``, ``"01"``;
* only ``true``/``false`` (any case) are booleans — ``yes``/``no``/``on``/``off`` stay text.

Periods in file names are read from the named group ``period`` according to ``period_format``:

=============== ======================================================= ======================
period_format   accepted text in the ``period`` group                    canonical period
=============== ======================================================= ======================
day             ``2024-05-13``, ``2024_05_13``, ``20240513``, ``13-05-2024``  ``2024-05-13``
month           ``2024-05``, ``2024_05``, ``202405``, ``May2024``, ``May-2024`` ``2024-05``
quarter         financial: ``2024-25_Q1``, ``2024_25-Q1``, ``202425Q1``,   ``2024/25 Q1``
                ``2024-2025 Q1``, ``FY2024-25Q1`` (Apr–Jun = Q1)
academic_year   ``2023-24``, ``2023_24``, ``202324``, ``2023-2024``        ``2023/24``
=============== ======================================================= ======================
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fhub.contracts import CONTRACTS, REFERENCE_TEXT_COLUMNS, Contract
from fhub.settings import Paths

PERIOD_FORMATS = ("day", "month", "quarter", "academic_year")
FILE_FORMATS = ("csv", "xlsx")
EXCEL_SERIAL = "excel_serial"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_TOP_KEYS = {"borough_code", "borough_name", "slug", "dialect", "files", "confirm_resubmissions",
             "resubmission_drop_share"}
_REQUIRED_TOP_KEYS = ("borough_code", "borough_name", "slug", "files")
_FILE_KEYS = {
    "extract",
    "pattern",
    "period_format",
    "format",
    "delimiter",
    "encoding",
    "sheet",
    "sheet_pattern",
    "header_row",
    "period_tolerance_days",
    "date_format",
    "columns",
    "constants",
    "values",
    "ignore_columns",
    "free_text",
}
#: What landing does with a declared free-text column (docs/architecture.md, "Borough mapping files").
FREE_TEXT_POLICIES = ("scrub", "drop")
_REQUIRED_FILE_KEYS = ("extract", "pattern", "period_format", "format", "columns")
#: Optional extra reference list of borough codes in a config folder (used by synthetic national-scale
#: configs, whose authorities are not London boroughs): ``borough_code`` column.
EXTRA_BOROUGHS_FILE = "extra_boroughs.csv"
#: Hubs of the authorities in EXTRA_BOROUGHS_FILE (landed by :mod:`fhub.landing.participants`).
EXTRA_HUBS_FILE = "extra_family_hubs.csv"
#: Rows whose event date lies this many days outside the period in the file name are still accepted
#: (``period_tolerance_days`` per file spec overrides it).
DEFAULT_PERIOD_TOLERANCE_DAYS = 7
#: A resubmission that drops more than this share of the rows (or of a key column's distinct values) of the
#: delivery it replaces is held until confirmed (``resubmission_drop_share`` per borough overrides it).
DEFAULT_RESUBMISSION_DROP_SHARE = 0.2
_DELIVERY_ID = re.compile(r"[0-9a-f]{12,64}")


class MappingError(ValueError):
    """A borough mapping file is invalid. The message names the file, the key and what to do."""


class PeriodError(ValueError):
    """A file name matched a mapping pattern but its ``period`` text cannot be read as that period."""


# --------------------------------------------------------------------------------------------------
# YAML loading: literal keys, only true/false as booleans
# --------------------------------------------------------------------------------------------------
class _MappingLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when available
    """SafeLoader with YAML-1.2-style booleans and literal (string) mapping keys."""


_MappingLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MappingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _MappingLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key: Any = key_node.value  # literal text, never int/bool
        else:
            key = loader.construct_object(key_node, deep=deep)
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_MappingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# --------------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------------
_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def _fy(start: int, end_text: str) -> str | None:
    end = int(end_text)
    if (len(end_text) == 2 and end != (start + 1) % 100) or (len(end_text) == 4 and end != start + 1):
        return None
    return f"{start}/{(start + 1) % 100:02d}"


def parse_period(text: str, period_format: str) -> str:
    """Canonical period string for the ``period`` group text (see the module docstring).

    Raises :class:`PeriodError` if the text is not a valid period of that kind.
    """
    t = text.strip()
    if period_format == "day":
        for rx, order in (
            (r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})", "ymd"),
            (r"(\d{2})[-_.](\d{2})[-_.](\d{4})", "dmy"),
        ):
            m = re.fullmatch(rx, t, flags=re.ASCII)
            if m:
                a, b, c = (int(g) for g in m.groups())
                y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
                try:
                    return dt.date(y, mo, d).isoformat()
                except ValueError:
                    break
    elif period_format == "month":
        m = re.fullmatch(r"(\d{4})[-_.]?(\d{2})", t, flags=re.ASCII)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(1)}-{m.group(2)}"
        m = re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*[-_ ]?(\d{4})", t, flags=re.ASCII)
        if m and m.group(1).lower() in _MONTHS:
            return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"
    elif period_format == "quarter":
        m = re.fullmatch(r"(?:FY)?(\d{4})[-_/]?(\d{2}|\d{4})[ _-]?Q([1-4])", t, flags=re.IGNORECASE | re.ASCII)
        if m:
            fy = _fy(int(m.group(1)), m.group(2))
            if fy:
                return f"{fy} Q{m.group(3)}"
    elif period_format == "academic_year":
        m = re.fullmatch(r"(?:AY)?(\d{4})[-_/]?(\d{2}|\d{4})", t, flags=re.IGNORECASE | re.ASCII)
        if m:
            ay = _fy(int(m.group(1)), m.group(2))
            if ay:
                return ay
    else:
        raise PeriodError(f"unknown period_format {period_format!r}; use one of {', '.join(PERIOD_FORMATS)}")
    raise PeriodError(
        f"the period in the file name is not a valid {period_format}; see fhub/mapping.py for the accepted forms "
        "(e.g. day 2024-05-13, month 2024-05, quarter 2024-25_Q1, academic_year 2023-24)"
    )


# --------------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileSpec:
    """How one kind of delivered file maps onto one extract's landing contract."""

    extract: str
    pattern: str
    period_format: str
    format: str
    columns: dict[str, str]
    delimiter: str = ","
    encoding: str = "utf-8"
    sheet: str | None = None
    sheet_pattern: str | None = None
    header_row: int = 1
    date_format: str = "%Y-%m-%d"
    constants: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignore_columns: tuple[str, ...] = ()
    #: contract column → scrub | drop: columns people type free text into (FREE_TEXT_POLICIES)
    free_text: dict[str, str] = field(default_factory=dict)
    period_tolerance_days: int = DEFAULT_PERIOD_TOLERANCE_DAYS
    source_file: Path | None = None  # the YAML it came from (for messages)

    @property
    def contract(self) -> Contract:
        return CONTRACTS[self.extract]

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)

    @property
    def source_to_contract(self) -> dict[str, str]:
        """Source header text → contract column."""
        return {src: col for col, src in self.columns.items()}

    @property
    def sheet_regex(self) -> re.Pattern[str] | None:
        """Which sheets of a workbook hold the data (matched in full, ignoring case): ``sheet_pattern``, or
        ``sheet`` plus the continuation sheets Excel names ``<sheet> (2)``, ``<sheet> (3)``, …; None: the
        first sheet with the headings and its continuations."""
        if self.sheet_pattern:
            return re.compile(self.sheet_pattern, re.IGNORECASE)
        if self.sheet is not None:
            return sheet_name_regex(self.sheet)
        return None

    def match_period(self, file_name: str) -> str | None:
        """Canonical period if the whole of ``file_name`` matches this spec's pattern, else None
        (PeriodError if the name matches but the period text is invalid). Digits are ASCII only, and a
        trailing newline never matches (full match, not search)."""
        m = self.regex.fullmatch(file_name)
        if not m:
            return None
        return parse_period(m.group("period"), self.period_format)

    def to_contract_value(self, column: str, source_value: str) -> Any:
        """Apply the ``values`` map of a contract column; unmapped values pass through unchanged."""
        mapping = self.values.get(column)
        if mapping is None:
            return source_value
        return mapping.get(source_value, source_value)

    def to_source_value(self, column: str, contract_value: Any) -> Any:
        """Inverse of :meth:`to_contract_value` (first source value listed for that contract value)."""
        mapping = self.values.get(column)
        if mapping is None:
            return contract_value
        for src, val in mapping.items():
            if val == contract_value and type(val) is type(contract_value):
                return src
        return contract_value


@dataclass(frozen=True)
class BoroughMapping:
    borough_code: str
    borough_name: str
    slug: str
    dialect: str | None
    files: list[FileSpec]
    source_file: Path | None = None
    #: delivery ids (or their first 12+ hex characters) whose drop in rows the borough has confirmed
    confirm_resubmissions: tuple[str, ...] = ()
    resubmission_drop_share: float = DEFAULT_RESUBMISSION_DROP_SHARE

    def confirms(self, delivery_id: str) -> bool:
        """Whether ``confirm_resubmissions`` lists this delivery (by its id or a 12+ character prefix)."""
        return any(delivery_id.startswith(c) for c in self.confirm_resubmissions)

    def match(self, file_name: str) -> tuple[FileSpec, str] | None:
        """The first file spec whose pattern matches ``file_name`` and the canonical period.

        Returns None when no pattern matches; raises :class:`PeriodError` when a pattern matches but the
        period in the name is not a real period (e.g. month 13)."""
        for spec in self.files:
            period = spec.match_period(file_name)
            if period is not None:
                return spec, period
        return None

    def spec_for(self, extract: str) -> FileSpec:
        """The (first) file spec of an extract type."""
        for spec in self.files:
            if spec.extract == extract:
                return spec
        raise KeyError(f"{self.slug}: no file spec for extract {extract!r}")


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = _REGEX_CACHE.get(pattern)
    if rx is None:
        # ASCII: \d and \w never match full-width or other non-ASCII digits and letters
        rx = _REGEX_CACHE[pattern] = re.compile(pattern, re.ASCII)
    return rx


def sheet_name_regex(sheet: str) -> re.Pattern[str]:
    """A sheet name and the continuation sheets Excel names ``<name> (2)``, … (full match, any case)."""
    return re.compile(re.escape(sheet.strip()) + r"(?: \([0-9]+\))?", re.IGNORECASE)


# --------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------
def known_borough_codes(boroughs_csv: Path | None = None) -> set[str]:
    path = boroughs_csv or Paths.from_env().project / "seeds" / "reference" / "london_boroughs.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["borough_code"] for row in csv.DictReader(fh)}


def _extra_codes(config_dir: Path) -> set[str]:
    path = config_dir / EXTRA_BOROUGHS_FILE
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["borough_code"] for row in csv.DictReader(fh)}


def load_borough_mappings(
    config_dir: Path | None = None, *, borough_codes: set[str] | None = None
) -> list[BoroughMapping]:
    """Load and validate every ``*.yml`` in ``config_dir`` (default ``config/boroughs``), sorted by slug.

    ``borough_codes`` overrides the allowed ONS codes (default: ``seeds/reference/london_boroughs.csv``
    plus any codes in ``<config_dir>/extra_boroughs.csv``). Raises :class:`MappingError` on the first
    problem, naming the file and key. Duplicate slugs or borough codes across files are errors too.
    """
    config_dir = Path(config_dir or Paths.from_env().borough_config)
    if not config_dir.is_dir():
        raise MappingError(
            f"{config_dir}: borough mapping folder does not exist; create it or pass --config-dir"
        )
    codes = borough_codes if borough_codes is not None else known_borough_codes() | _extra_codes(config_dir)
    mappings = [load_borough_mapping(p, borough_codes=codes) for p in sorted(config_dir.glob("*.yml"))]
    seen_slug: dict[str, Path | None] = {}
    seen_code: dict[str, Path | None] = {}
    for m in mappings:
        if m.slug in seen_slug:
            raise MappingError(f"{m.source_file}: slug {m.slug!r} is also used by {seen_slug[m.slug]}")
        if m.borough_code in seen_code:
            raise MappingError(
                f"{m.source_file}: borough_code {m.borough_code} is also mapped by {seen_code[m.borough_code]}; "
                "keep one mapping file per borough (list several file specs in it)"
            )
        seen_slug[m.slug] = m.source_file
        seen_code[m.borough_code] = m.source_file
    return mappings


def load_borough_mapping(path: Path, *, borough_codes: set[str] | None = None) -> BoroughMapping:
    """Load and validate one mapping file."""
    path = Path(path)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_MappingLoader)  # noqa: S506 - SafeLoader
    except yaml.YAMLError as exc:
        raise MappingError(f"{path}: not valid YAML ({exc}); fix the syntax at the position shown") from exc
    codes = borough_codes if borough_codes is not None else known_borough_codes() | _extra_codes(path.parent)
    return parse_borough_mapping(doc, path, codes)


def _fail(path: Path | str, key: str, problem: str, fix: str) -> MappingError:
    return MappingError(f"{path}: {key}: {problem} — {fix}")


def parse_borough_mapping(doc: Any, path: Path, borough_codes: set[str]) -> BoroughMapping:
    if not isinstance(doc, dict):
        raise _fail(
            path, "(top level)", "expected a mapping of keys", "see docs/architecture.md for the format"
        )
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise _fail(
            path,
            ", ".join(sorted(map(str, unknown))),
            "unknown key",
            f"remove it or use one of {', '.join(sorted(_TOP_KEYS))}",
        )
    for key in _REQUIRED_TOP_KEYS:
        if doc.get(key) in (None, "", []):
            raise _fail(path, key, "missing", "add it (see docs/architecture.md, 'Borough mapping files')")
    code = str(doc["borough_code"])
    if code not in borough_codes:
        raise _fail(
            path,
            "borough_code",
            f"{code!r} is not a known borough code",
            "use the ONS code listed in seeds/reference/london_boroughs.csv (e.g. E09000012)",
        )
    slug = str(doc["slug"])
    if not _SLUG.match(slug):
        raise _fail(
            path,
            "slug",
            f"{slug!r} is not a valid folder name",
            "use lower-case letters, digits and underscores (e.g. tower_hamlets)",
        )
    if path.suffix == ".yml" and path.stem != slug:
        raise _fail(
            path,
            "slug",
            f"{slug!r} differs from the file name {path.name!r}",
            f"rename the file to {slug}.yml or change the slug",
        )
    files = doc["files"]
    if not isinstance(files, list):
        raise _fail(
            path, "files", "expected a list of file specs", "write each spec as a '- extract: ...' item"
        )
    specs = [_parse_file_spec(item, path, i) for i, item in enumerate(files)]
    confirmed = doc.get("confirm_resubmissions") or []
    if not isinstance(confirmed, list) or not all(
        isinstance(c, str) and _DELIVERY_ID.fullmatch(c.strip().lower()) for c in confirmed
    ):
        raise _fail(
            path,
            "confirm_resubmissions",
            "expected a list of delivery ids",
            "copy each delivery id (or its first 12 or more characters) from the receipt that held the file",
        )
    share = doc.get("resubmission_drop_share", DEFAULT_RESUBMISSION_DROP_SHARE)
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise _fail(
            path,
            "resubmission_drop_share",
            f"{share!r} is not a share between 0 and 1",
            "write e.g. 0.2 (a resubmission dropping more than 20% of the rows is held until confirmed)",
        )
    return BoroughMapping(
        borough_code=code,
        borough_name=str(doc["borough_name"]),
        slug=slug,
        dialect=None if doc.get("dialect") is None else str(doc["dialect"]),
        files=specs,
        source_file=path,
        confirm_resubmissions=tuple(c.strip().lower() for c in confirmed),
        resubmission_drop_share=float(share),
    )


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


def _parse_file_spec(item: Any, path: Path, index: int) -> FileSpec:
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

    free_text = _parse_free_text(item.get("free_text"), path, where, contract, columns)

    return FileSpec(
        extract=extract,
        pattern=pattern,
        period_format=period_format,
        format=fmt,
        columns=columns,
        delimiter=delimiter,
        encoding=encoding,
        sheet=None if sheet is None else str(sheet),
        sheet_pattern=None if sheet_pattern is None else str(sheet_pattern),
        header_row=header_row,
        date_format=date_format,
        constants=dict(constants),
        values=parsed_values,
        ignore_columns=tuple(ignore),
        free_text=free_text,
        period_tolerance_days=tolerance,
        source_file=path,
    )


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
