"""Writing one delivered file in a borough's dialect: file names derived from the mapping pattern, contract
values turned back into source values, and deterministic CSV / XLSX bytes.

The generator works on *frames*: ``{contract column: array}`` where an array is one of

* :class:`Cat` – categorical codes (``idx`` into ``cats``; -1 = null), used for ``code`` and ``boolean``;
* :class:`Days` – dates as days since 1970-01-01 (:data:`NULL_DAY` = null), for ``date`` and ``month``;
* a float ``numpy`` array (NaN = null) for ``integer`` / ``decimal``;
* an object ``numpy`` array of ``str`` / ``None`` for identifiers and text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from fhub.landing.mapping import EXCEL_SERIAL, BoroughMapping, FileSpec, parse_period

NULL_DAY = -(2**31)
EPOCH = dt.date(1970, 1, 1)
EXCEL_EPOCH_OFFSET = 25569  # Excel serial of 1970-01-01
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Cat:
    idx: np.ndarray  # int, -1 = null
    cats: tuple[Any, ...]

    def take(self, sel: np.ndarray) -> Cat:
        return Cat(self.idx[sel], self.cats)


@dataclass
class Days:
    days: np.ndarray  # int64, NULL_DAY = null

    def take(self, sel: np.ndarray) -> Days:
        return Days(self.days[sel])


Frame = dict[str, Any]


def take(frame: Frame, sel: np.ndarray) -> Frame:
    return {k: (v.take(sel) if isinstance(v, Cat | Days) else v[sel]) for k, v in frame.items()}


def day_of(d: dt.date) -> int:
    return (d - EPOCH).days


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


# --------------------------------------------------------------------------------------------------
# file names from patterns
# --------------------------------------------------------------------------------------------------
def _period_candidates(period_format: str, canonical: str) -> list[str]:
    if period_format == "day":
        y, m, d = canonical.split("-")
        return [f"{y}-{m}-{d}", f"{y}{m}{d}", f"{d}-{m}-{y}", f"{y}_{m}_{d}", f"{d}.{m}.{y}"]
    if period_format == "month":
        y, m = canonical.split("-")
        abbr = _MONTH_ABBR[int(m) - 1]
        return [f"{y}-{m}", f"{y}{m}", f"{y}_{m}", f"{abbr}{y}", f"{abbr}-{y}", f"{abbr}_{y}"]
    if period_format == "quarter":
        fy, q = canonical.split(" ")
        y1, y2 = fy.split("/")
        return [f"{y1}-{y2}_{q}", f"{y1}-{y2}-{q}", f"{y1}{y2}{q}", f"{y1}-{y2} {q}", f"{y1}_{y2}_{q}"]
    if period_format == "academic_year":
        y1, y2 = canonical.split("/")
        return [f"{y1}-{y2}", f"{y1}_{y2}", f"{y1}{y2}", f"{y1}-{int(y1) + 1}"]
    raise ValueError(period_format)


def _split_period_group(pattern: str) -> tuple[str, str, str]:
    start = pattern.index("(?P<period>")
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return pattern[:start], pattern[start + len("(?P<period>") : i], pattern[i + 1 :]


def _literal(fragment: str, pattern: str) -> str:
    text = fragment.removeprefix("^").removesuffix("$")
    if re.search(r"(?<!\\)[\[\]().*+?{}|^$]", text):
        raise ValueError(
            f"cannot derive a file name from pattern {pattern!r}: only literal text may surround "
            "the period group"
        )
    return re.sub(r"\\(.)", r"\1", text)


def file_name_for(mapping: BoroughMapping, spec: FileSpec, period: str) -> str:
    """The file name this borough would send for ``spec`` and canonical ``period`` (checked with match)."""
    before, group, after = _split_period_group(spec.pattern)
    for cand in _period_candidates(spec.period_format, period):
        if re.fullmatch(group, cand) and parse_period(cand, spec.period_format) == period:
            name = _literal(before, spec.pattern) + cand + _literal(after, spec.pattern)
            got = mapping.match(name)
            if got is None or got[0] is not spec or got[1] != period:
                raise ValueError(
                    f"{mapping.slug}: derived name {name!r} does not match back to {spec.extract}"
                )
            return name
    raise ValueError(f"{mapping.slug}: no way to write period {period} into pattern {spec.pattern!r}")


# --------------------------------------------------------------------------------------------------
# contract values -> source values
# --------------------------------------------------------------------------------------------------
def _source_options(spec: FileSpec, column: str, value: Any) -> list[str]:
    vmap = spec.values.get(column)
    if vmap:
        opts = [src for src, v in vmap.items() if v == value and type(v) is type(value)]
        if opts:
            return opts
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [str(value)]


def _cat_to_source(spec: FileSpec, column: str, col: Cat, rng: np.random.Generator) -> np.ndarray:
    options = [_source_options(spec, column, c) for c in col.cats]
    lookup = np.array([o[0] for o in options] + [""], dtype=object)
    idx = np.where(col.idx < 0, len(col.cats), col.idx)
    out = lookup[idx]
    for ci, opts in enumerate(options):
        if len(opts) > 1:  # e.g. parent/carer, DNA/Did not attend: mostly the first, sometimes the others
            rows = np.flatnonzero(col.idx == ci)
            alt = rng.random(rows.size) < 0.2
            pick = rng.integers(1, len(opts), size=rows.size)
            out[rows[alt]] = np.array(opts, dtype=object)[pick[alt]]
    return out


def _days_to_source(date_format: str, col: Days, as_number: bool) -> np.ndarray:
    uniq, inv = np.unique(col.days, return_inverse=True)
    vals: list[Any] = []
    for d in uniq.tolist():
        if d == NULL_DAY:
            vals.append(None if as_number else "")
        elif date_format == EXCEL_SERIAL:
            vals.append(d + EXCEL_EPOCH_OFFSET if as_number else str(d + EXCEL_EPOCH_OFFSET))
        else:
            vals.append(date_of(d).strftime(date_format))
    return np.array(vals, dtype=object)[inv]


def _num_to_source(col: np.ndarray, as_number: bool) -> np.ndarray:
    out = np.empty(col.shape[0], dtype=object)
    isnan = np.isnan(col)
    integral = ~isnan & (np.floor(col) == col)
    if as_number:
        out[:] = None
        out[integral] = col[integral].astype(np.int64).tolist()
        frac = ~isnan & ~integral
        out[frac] = np.round(col[frac], 2).tolist()
    else:
        out[:] = ""
        out[integral] = [str(v) for v in col[integral].astype(np.int64).tolist()]
        frac = ~isnan & ~integral
        out[frac] = [f"{v:.2f}" for v in col[frac].tolist()]
    return out


def to_source_columns(
    spec: FileSpec, frame: Frame, extras: dict[str, np.ndarray], rng: np.random.Generator
) -> tuple[list[str], list[np.ndarray]]:
    """Headers and per-column value arrays (str for CSV; numbers kept numeric for XLSX)."""
    as_number = spec.format == "xlsx"
    headers: list[str] = []
    arrays: list[np.ndarray] = []
    for column, source in spec.columns.items():
        col = frame[column]
        if isinstance(col, Cat):
            arr = _cat_to_source(spec, column, col, rng)
        elif isinstance(col, Days):
            arr = _days_to_source(spec.date_format, col, as_number)
        elif col.dtype.kind == "f":
            arr = _num_to_source(col, as_number)
        else:
            arr = np.where(col == None, "", col)  # noqa: E711 - elementwise on object arrays
        headers.append(source)
        arrays.append(arr)
    for header, arr in extras.items():
        headers.append(header)
        arrays.append(np.where(arr == None, "", arr))  # noqa: E711
    return headers, arrays


# --------------------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------------------
def write_csv(path: Path, spec: FileSpec, headers: list[str], arrays: list[np.ndarray]) -> int:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=spec.delimiter, lineterminator="\r\n")
    w.writerow(headers)
    w.writerows(zip(*arrays, strict=True))
    data = buf.getvalue().encode(spec.encoding)
    path.write_bytes(data)
    return len(arrays[0]) if arrays else 0


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(value: Any) -> str:
    """One cell without a reference (cells are written in order, empty ones as ``<c/>``)."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _cells(values: np.ndarray) -> list[str]:
    cache: dict[Any, str] = {}
    out = []
    for v in values.tolist():
        key = (type(v), v)
        frag = cache.get(key)
        if frag is None:
            frag = cache[key] = _cell(v)
        out.append(frag)
    return out


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _workbook_xml(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def write_xlsx(
    path: Path, sheet: str, title_rows: list[str], headers: list[str], arrays: list[np.ndarray]
) -> int:
    """A minimal, deterministic XLSX (inline strings, fixed zip timestamps): title rows, then the header
    on row ``len(title_rows) + 1``, then the data."""
    letters = [_col_letter(i) for i in range(len(headers))]
    n = len(arrays[0]) if arrays else 0
    n_rows = len(title_rows) + 1 + n
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{letters[-1] if letters else "A"}{n_rows}"/><sheetData>'
    ]
    for title in title_rows:
        parts.append(f"<row>{_cell(title)}</row>")
    parts.append("<row>" + "".join(_cell(h) for h in headers) + "</row>")
    columns = [_cells(a) for a in arrays]
    parts.extend("<row>" + "".join(row) + "</row>" for row in zip(*columns, strict=True))
    parts.append("</sheetData></worksheet>")
    members = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _workbook_xml(sheet),
        "xl/_rels/workbook.xml.rels": _WB_RELS,
        "xl/worksheets/sheet1.xml": "".join(parts),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"), compresslevel=1)
    path.write_bytes(buf.getvalue())
    return n


def write_file(
    path: Path,
    spec: FileSpec,
    frame: Frame,
    extras: dict[str, np.ndarray],
    rng: np.random.Generator,
    title_rows: list[str],
) -> int:
    headers, arrays = to_source_columns(spec, frame, extras, rng)
    if spec.format == "xlsx":
        pad = max(0, spec.header_row - 1)
        titles = (title_rows + [""] * pad)[:pad]
        return write_xlsx(path, spec.sheet or "Sheet1", titles, headers, arrays)
    return write_csv(path, spec, headers, arrays)
