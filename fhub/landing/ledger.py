"""The ledger of one delivered file: every physical line (CSV) or sheet row (XLSX) accounted for.

    physical lines = heading block (the heading row and any title rows above it, on every data sheet)
                   + blank lines + repeated heading rows + footer lines ("Total: 12 records")
                   + extra lines of values that span lines (a quoted line break)
                   + rows of sheets that are not data sheets (named in a warning)
                   + rows landed + rows rejected
                   + unexplained

Two independent counts meet here. Before the group pass, the file itself is counted: CSV lines in Python
(:func:`count_csv_lines`: line breaks, empty lines and quoted line breaks, quote by quote, never parsing
values), XLSX rows while the sheets are read (:mod:`fhub.landing.workbook`). The group pass then accounts
for what DuckDB actually read, record by record (landed, rejected, or explained as a blank line, a repeated
heading or a footer). Whatever the two do not agree on is *unexplained* — a blocking data-quality error for
the delivery's borough × extract × period (:mod:`fhub.dq.landing_results`), never silently dropped.

``landing.reconciliation`` holds one row per delivery (landed, superseded or held).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

#: Control characters that have no business in a data value (tab, line feed and carriage return excepted).
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: every other byte: ``chunk.translate(None, _NOT_CONTROL)`` keeps only control bytes (10x faster than the regex)
_NOT_CONTROL = bytes(b for b in range(256) if not CONTROL_BYTES.match(bytes([b])))


def _has_control(chunk: bytes) -> bool:
    return bool(chunk.translate(None, _NOT_CONTROL))
_EMPTY_LINE = re.compile(rb"\n(?=\r?\n)")
_CHUNK = 4 * 1024 * 1024

RECONCILIATION_DDL = """
    create table if not exists landing.reconciliation (
        delivery_id varchar not null,
        run_id varchar not null,
        lines_physical bigint not null,        -- lines of a CSV / rows of every sheet of a workbook
        lines_heading_block bigint not null,   -- heading rows and title rows above them
        lines_blank bigint not null,           -- empty lines, wholly blank rows
        lines_repeated_heading bigint not null,
        lines_footer bigint not null,          -- e.g. 'Total: 12 records' after the data
        lines_continuation bigint not null,    -- extra lines of values with a quoted line break
        lines_other_sheets bigint not null,    -- rows of sheets that are not data sheets (warned)
        rows_landed bigint not null,
        rows_rejected bigint not null,
        lines_unexplained bigint not null,     -- anything else: a blocking data-quality error
        sheets_read integer not null
    )
"""


@dataclass
class Ledger:
    """Counts for one file. The ``read`` side is filled before the group pass; ``repeated_heading``,
    ``footer``, ``records_read``, ``landed`` and ``rejected`` by the group pass."""

    physical: int = 0
    heading_block: int = 0
    blank: int = 0
    continuation: int = 0
    other_sheets: int = 0
    #: rows the reader could not hand to the scan (e.g. a continuation sheet whose headings differ)
    unread: int = 0
    #: records handed to the CSV scan, as counted by the reader
    records: int = 0
    sheets_read: int = 1
    has_control_chars: bool = False
    repeated_heading: int = 0
    footer: int = 0
    #: blank records the scan found (lines of separators only, or of spaces)
    blank_records: int = 0
    landed: int = 0
    rejected: int = 0

    @property
    def explained(self) -> int:
        return (self.heading_block + self.blank + self.blank_records + self.continuation + self.other_sheets
                + self.repeated_heading + self.footer)

    @property
    def unexplained(self) -> int:
        return self.physical - self.explained - self.landed - self.rejected

    def row(self, delivery_id: str, run_id: str) -> tuple:
        return (delivery_id, run_id, self.physical, self.heading_block, self.blank + self.blank_records,
                self.repeated_heading, self.footer, self.continuation, self.other_sheets, self.landed,
                self.rejected, self.unexplained, self.sheets_read)

    def copy(self) -> Ledger:
        return Ledger(**{f.name: getattr(self, f.name) for f in fields(self)})


RECONCILIATION_COLUMNS = ("delivery_id", "run_id", "lines_physical", "lines_heading_block", "lines_blank",
                          "lines_repeated_heading", "lines_footer", "lines_continuation", "lines_other_sheets",
                          "rows_landed", "rows_rejected", "lines_unexplained", "sheets_read")


def count_csv_lines(path: Path, heading_line: int) -> Ledger:
    """Count a UTF-8 CSV's physical lines after its heading line (``heading_line`` = the physical line the
    heading row ends on): empty lines (outside quoted values), extra lines inside quoted values, and the
    records a CSV reader should find. Streams 4 MB chunks; per chunk only C-speed byte operations (a file
    with quotation marks is split at each mark). Quoting as RFC 4180 (a quote inside a value is doubled)."""
    ledger = Ledger(heading_block=heading_line)
    newlines = empty = continuation = 0
    inside = False  # inside a quoted value at the end of the previous chunk
    tail = b""  # the last bytes outside quotes of the previous chunk (an empty line may straddle chunks)
    last = b""
    skip = heading_line
    partial = False  # part of a heading-block line was read without its line break
    with open(path, "rb") as fh:
        first = True
        while chunk := fh.read(_CHUNK):
            if first:
                first = False
                chunk = chunk.removeprefix(b"\xef\xbb\xbf")
            if skip:  # the heading block (its lines are counted as such)
                while skip and chunk:
                    cut = chunk.find(b"\n")
                    if cut < 0:
                        partial, chunk = True, b""
                        break
                    chunk, partial = chunk[cut + 1:], False
                    skip -= 1
                    tail = b"\n"  # at the start of a line: an empty first data line is an empty line
                if not chunk:
                    continue
            last = chunk[-1:]
            if not ledger.has_control_chars and _has_control(chunk):
                ledger.has_control_chars = True
            if not inside and b'"' not in chunk:
                newlines += chunk.count(b"\n")
                empty += len(_EMPTY_LINE.findall(tail + chunk)) - len(_EMPTY_LINE.findall(tail))
                tail = chunk[-2:]
                continue
            parts = chunk.split(b'"')
            # parts alternate outside / inside a quoted value, starting where the previous chunk ended
            outside_parts = parts[1::2] if inside else parts[0::2]
            inside_parts = parts[0::2] if inside else parts[1::2]
            quoted = b"\x00".join(inside_parts)
            continuation += quoted.count(b"\n")
            newlines += chunk.count(b"\n")
            outside = b"\x00".join(outside_parts)
            if not inside:
                outside = tail + outside
                empty += len(_EMPTY_LINE.findall(outside)) - len(_EMPTY_LINE.findall(tail))
            else:
                empty += len(_EMPTY_LINE.findall(outside))
            inside = inside != (len(parts) % 2 == 0)
            tail = b"" if inside else outside_parts[-1][-2:]
    if skip and partial:  # the file ends on a heading-block line without a line break
        skip -= 1
    physical_after = newlines + (1 if last and last != b"\n" else 0)
    ledger.physical = heading_line - skip + physical_after
    ledger.heading_block = heading_line - skip
    ledger.blank = empty
    ledger.continuation = continuation
    ledger.records = physical_after - empty - continuation
    return ledger


def has_control_bytes(path: Path) -> bool:
    """Whether a (UTF-8) file holds control characters other than tab and line breaks."""
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            if _has_control(chunk):
                return True
    return False


def describe(row: tuple) -> str:
    """The ledger for a receipt: '120 lines = 1 heading + 100 rows (95 landed, 5 rejected) + 3 blank + …'."""
    rec = dict(zip(RECONCILIATION_COLUMNS, row, strict=True))
    parts = [f"{rec['lines_heading_block']:,} heading" + ("s and titles" if rec["lines_heading_block"] > 1 else ""),
             f"{rec['rows_landed'] + rec['rows_rejected']:,} data rows ({rec['rows_landed']:,} landed, "
             f"{rec['rows_rejected']:,} rejected)"]
    for key, what in (("lines_blank", "blank"), ("lines_repeated_heading", "repeated heading"),
                      ("lines_footer", "footer"), ("lines_continuation", "continued values (line breaks in quotes)"),
                      ("lines_other_sheets", "on other sheets")):
        if rec[key]:
            parts.append(f"{rec[key]:,} {what}")
    if rec["lines_unexplained"]:
        parts.append(f"**{rec['lines_unexplained']:,} not accounted for**")
    sheets = f" (on {rec['sheets_read']} data sheets)" if rec["sheets_read"] > 1 else ""
    return f"{rec['lines_physical']:,} lines in the file{sheets} = " + " + ".join(parts)
