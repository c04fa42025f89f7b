"""A checker for Explore Education Statistics data + metadata file pairs, written from the rules of DfE's
screener (eesyscreener: ``precheck_col_req_meta``, ``precheck_col_invalid_meta``, ``precheck_meta_col_type``,
``check_meta_*``, ``precheck_cross_*``, ``check_ind_invalid_entry``). Each rule is a :class:`Finding` of level
``FAIL`` (EES would refuse the file) or ``WARNING`` (EES would ask). Every export the publish writes must have no
``FAIL`` (:func:`check_export_folder`); ``python -m fhub.exports.ees_check FOLDER`` checks a folder by hand.

Not applied: the rules about EES's own observational units (``time_period``/``time_identifier``/
``geographic_level`` and the geography columns must be present and valid), because the published relations are
a mart, not one EES statistical release: a relation without them is exported with its columns as filters and
indicators, and what would make it a release (time and geography columns) is the publisher's choice.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fhub.exports.ees import GEOGRAPHY_LIKE, META_COLUMNS, OBSERVATIONAL_UNITS, OPTIONAL_META_COLUMNS
from fhub.landing.sqlkit import ident, lit

COL_TYPES = ("Filter", "Indicator")
#: EES's acceptable indicator units (blank allowed).
INDICATOR_UNITS = ("%", "pp", "£", "£m", "numberstring")
#: GSS symbols an indicator cell may hold instead of a number; legacy symbols (``~``, ``:``) and blanks fail.
GSS_SYMBOLS = ("c", "x", "z", "low", "u")
LEGACY_SYMBOLS = ("~", ":")


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # FAIL | WARNING
    message: str

    def __str__(self) -> str:
        return f"{self.level} {self.rule}: {self.message}"


def read_meta(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [{k: (v or "").strip() if k else "" for k, v in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def check_meta(header: list[str], rows: list[dict[str, str]]) -> list[Finding]:
    """The metadata file's own rules."""
    out: list[Finding] = []

    def fail(rule: str, message: str, level: str = "FAIL") -> None:
        out.append(Finding(rule, level, message))

    missing = [c for c in META_COLUMNS if c not in header]
    if missing:
        fail("col_req_meta", "missing metadata columns: " + ", ".join(missing))
        return out
    invalid = [c for c in header if c not in META_COLUMNS + OPTIONAL_META_COLUMNS]
    if invalid:
        fail("col_invalid_meta", "columns that are not metadata columns: " + ", ".join(invalid))
    names = [r["col_name"] for r in rows]
    for i, row in enumerate(rows, start=2):
        name, kind = row["col_name"], row["col_type"]
        where = f"line {i} ({name or 'no col_name'})"
        if not name:
            fail("meta_col_name", f"{where}: col_name is blank")
        if " " in name:
            fail("meta_col_name_spaces", f"{where}: col_name has spaces")
        if kind not in COL_TYPES:
            fail("meta_col_type", f"{where}: col_type must be Filter or Indicator")
        if not row["label"]:
            fail("meta_label", f"{where}: label is blank")
        if kind == "Filter":
            for column, rule in (("indicator_unit", "meta_ind_unit"), ("indicator_dp", "meta_indicator_dp"),
                                 ("indicator_grouping", "meta_indicator_grouping")):
                if row[column]:
                    fail(rule, f"{where}: a filter has an {column}")
            if GEOGRAPHY_LIKE.search(name) or name in OBSERVATIONAL_UNITS:
                fail("meta_geog_catch", f"{where}: a geography or time column is labelled as a filter")
        if kind == "Indicator":
            if row["filter_hint"]:
                fail("meta_filter_hint", f"{where}: an indicator has a filter_hint")
            if row["filter_grouping_column"]:
                fail("meta_filter_group", f"{where}: an indicator has a filter_grouping_column")
            if row["indicator_unit"] and row["indicator_unit"] not in INDICATOR_UNITS:
                fail("meta_ind_unit_validation", f"{where}: indicator_unit is not one of {', '.join(INDICATOR_UNITS)}")
            dp = row["indicator_dp"]
            if dp and not dp.isdigit():
                fail("meta_ind_dp_values", f"{where}: indicator_dp must be blank or a whole number of 0 or more")
            if not dp:
                fail("meta_ind_dp_set", f"{where}: indicator_dp is not set", "WARNING")
        group = row["filter_grouping_column"]
        if group:
            if group == name:
                fail("meta_filter_group_match", f"{where}: filter_grouping_column names the filter itself")
            if GEOGRAPHY_LIKE.search(group) or group in OBSERVATIONAL_UNITS:
                fail("meta_geog_catch", f"{where}: the filter group is a geography or time column")
            if group not in names:
                fail("meta_filter_group_is_filter", f"{where}: the filter group has no row of its own", "WARNING")
    for name in sorted({n for n in names if names.count(n) > 1}):
        fail("meta_col_name_duplicate", f"col_name {name} appears more than once")
    labels = [r["label"] for r in rows if r["label"]]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        fail("meta_duplicate_label", f"label {label} appears more than once")
    groups = [r["filter_grouping_column"] for r in rows if r["filter_grouping_column"]]
    for group in sorted({g for g in groups if groups.count(g) > 1}):
        fail("meta_filter_group_duplicate", f"filter group {group} is used by more than one filter")
    return out


def check_pair(data_csv: Path, meta_csv: Path) -> list[Finding]:
    """A data file and its metadata file: the metadata rules, the cross-checks, the indicator cells."""
    header, rows = read_meta(meta_csv)
    out = check_meta(header, rows)
    if any(f.rule == "col_req_meta" for f in out):
        return out
    try:
        data_csv.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return [*out, Finding("data_encoding", "FAIL", "the data file is not UTF-8")]
    con = duckdb.connect()
    try:
        con.execute(f"create view data as select * from read_csv({lit(data_csv)}, all_varchar = true, header = true, "
                    "delim = ',', quote = '\"', escape = '\"')")
        columns = [r[0] for r in con.execute("describe data").fetchall()]
        referenced = {r["col_name"] for r in rows} | {r["filter_grouping_column"] for r in rows} - {""}
        missing = sorted(referenced - set(columns))
        if missing:
            out.append(Finding("cross_meta_to_data", "FAIL", "in the metadata but not the data: " + ", ".join(missing)))
        unexplained = [c for c in columns if c not in referenced and c not in OBSERVATIONAL_UNITS
                       and con.execute(f"select count(distinct {ident(c)}) from data").fetchone()[0] > 1]
        if unexplained:
            out.append(Finding("cross_data_to_meta", "WARNING",
                               "in the data but not the metadata: " + ", ".join(unexplained)))
        symbols = ", ".join(map(lit, GSS_SYMBOLS))
        indicators = [r["col_name"] for r in rows if r["col_type"] == "Indicator" and r["col_name"] in columns]
        parts = []
        for name in indicators:  # one pass over the file for every indicator
            q = ident(name)
            parts += [f"count(*) filter (where {q} is null or trim({q}) = '')",
                      f"count(*) filter (where {q} in ('~', ':'))",
                      f"count(*) filter (where try_cast({q} as double) is null and {q} not in ({symbols}) "
                      f"and {q} not in ('~', ':') and trim({q}) <> '')"]
        counts = con.execute(f"select {', '.join(parts)} from data").fetchone() if parts else ()  # noqa: S608
        for i, name in enumerate(indicators):
            blank, legacy, other = counts[3 * i: 3 * i + 3]
            if blank:
                out.append(Finding("ind_invalid_entry", "FAIL", f"indicator {name} has {blank} blank cells"))
            if legacy:
                out.append(Finding("ind_invalid_entry", "FAIL", f"indicator {name} has {legacy} legacy symbols"))
            if other:
                out.append(Finding("ind_invalid_entry", "FAIL",
                                   f"indicator {name} has {other} cells that are neither a number nor a GSS symbol"))
    finally:
        con.close()
    return out


def check_export_folder(folder: Path) -> dict[str, list[Finding]]:
    """Every ``<name>.csv`` with its ``<name>.meta.csv``; a data file without one fails."""
    results: dict[str, list[Finding]] = {}
    for data_csv in sorted(Path(folder).glob("*.csv")):
        if data_csv.name.endswith(".meta.csv") or data_csv.name.startswith("data-dictionary"):
            continue
        meta_csv = data_csv.with_name(data_csv.stem + ".meta.csv")
        results[data_csv.stem] = (check_pair(data_csv, meta_csv) if meta_csv.exists()
                                  else [Finding("meta_file", "FAIL", "no .meta.csv beside the data file")])
    return results


def failures(results: dict[str, list[Finding]]) -> list[str]:
    return [f"{name}: {f}" for name, found in results.items() for f in found if f.level == "FAIL"]


def main(argv: list[str] | None = None) -> int:
    folder = Path((argv or sys.argv[1:] or ["."])[0])
    results = check_export_folder(folder)
    for name, found in results.items():
        print(f"{name}: " + ("passes" if not found else "; ".join(str(f) for f in found)))
    return 1 if failures(results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
