"""The mapping model: :class:`FileSpec` and :class:`BoroughMapping`, the keys and values a mapping file may
use, and the errors that name the file, the key and what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhub.contracts import CONTRACTS, Contract
from fhub.landing.mapping.periods import parse_period

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



def fail(path: Path | str, key: str, problem: str, fix: str) -> MappingError:
    return MappingError(f"{path}: {key}: {problem} — {fix}")


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
