"""The outcomes framework as data: load it from one XLSX workbook, validate it, write it as the dbt seeds.

A borough (or the London Community of Practice) maintains the framework in a workbook with one sheet per
table - ``framework_domains``, ``framework_layers``, ``framework_outcomes``, ``framework_indicators``,
``framework_metrics``, ``framework_glossary``, ``framework_crosswalk`` (the ``framework_`` prefix may be
left off the sheet name). Row 1 holds the column names, as in the seed CSVs in ``seeds/framework/``.

``load_workbook`` reads and validates it and raises :class:`FrameworkError` listing *every* problem with the
sheet, row, column, what is wrong and what to do; ``write_seeds`` writes the validated tables over the seed
CSVs so the next ``dbt build`` uses them. ``export_workbook`` writes the current seeds as a workbook to start
from. Command line (``python -m fhub.framework`` is the same)::

    fhub framework load  <workbook.xlsx> [--seeds-dir seeds/framework] [--check]
    fhub framework export <workbook.xlsx> [--seeds-dir seeds/framework]
    fhub framework check [--seeds-dir seeds/framework]
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fhub.settings import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds" / "framework"

DOMAINS = ("safe", "healthy", "happy", "learning", "engaged")
LAYERS = ("1", "2", "3")
UNITS = ("percent", "percentage_points", "mean", "points", "days", "count", "rate_per_10000", "rate_per_1000")
POLARITIES = ("high_is_good", "low_is_good", "no_judgement")
CI_METHODS = ("wilson", "normal", "byars", "none")
STATUSES = ("computed", "declared")
GEOGRAPHY_LEVELS = ("hub", "borough", "region", "country")
EXTERNAL_FRAMEWORKS = (
    "supporting_families",
    "phof_fingertips",
    "local_outcomes_framework",
    "lg_inform",
    "csc_national_framework",
    "family_hubs_start_for_life",
)
MATCH_TYPES = ("exact", "proxy", "related")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: tuple[str, ...]
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "framework_domains",
            ("domain", "domain_name", "domain_statement", "sort_order", "framework_version"),
            ("domain",),
            ("domain", "domain_name", "framework_version"),
            {"domain": DOMAINS},
        ),
        Table(
            "framework_layers",
            ("layer", "layer_name", "layer_description", "framework_version"),
            ("layer",),
            ("layer", "layer_name", "framework_version"),
            {"layer": LAYERS},
        ),
        Table(
            "framework_outcomes",
            ("outcome_id", "domain", "layer", "outcome_statement", "framework_version"),
            ("outcome_id",),
            ("outcome_id", "domain", "layer", "outcome_statement", "framework_version"),
            {"domain": DOMAINS, "layer": LAYERS},
        ),
        Table(
            "framework_indicators",
            ("indicator_id", "outcome_id", "indicator_name", "framework_version"),
            ("indicator_id",),
            ("indicator_id", "outcome_id", "indicator_name", "framework_version"),
        ),
        Table(
            "framework_metrics",
            (
                "metric_id", "metric_name", "indicator_id", "domain", "layer", "numerator_definition",
                "denominator_definition", "unit", "polarity", "ci_method", "frequency", "geography_levels",
                "breakdowns", "source_extract", "measurement_tool", "data_source", "status", "data_needed",
                "series_break_period", "framework_version",
            ),
            ("metric_id",),
            (
                "metric_id", "metric_name", "indicator_id", "domain", "layer", "numerator_definition",
                "denominator_definition", "unit", "polarity", "ci_method", "frequency", "geography_levels",
                "status", "framework_version",
            ),
            {
                "domain": DOMAINS,
                "layer": LAYERS,
                "unit": UNITS,
                "polarity": POLARITIES,
                "ci_method": CI_METHODS,
                "status": STATUSES,
            },
        ),
        Table(
            "framework_glossary",
            ("term", "definition", "framework_version"),
            ("term",),
            ("term", "definition", "framework_version"),
        ),
        Table(
            "framework_crosswalk",
            ("metric_id", "external_framework", "external_id", "external_name", "match_type", "framework_version"),
            ("metric_id", "external_framework", "external_id"),
            ("metric_id", "external_framework", "external_id", "match_type", "framework_version"),
            {"external_framework": EXTERNAL_FRAMEWORKS, "match_type": MATCH_TYPES},
        ),
    )
}

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, located and with the fix."""

    sheet: str
    row: int | None  # spreadsheet row number (header = 1); None for sheet-level problems
    column: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message} -> {self.fix}"


class FrameworkError(ValueError):
    """The workbook (or seed folder) is not a valid framework; ``problems`` lists every issue."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s) in the framework:\n{lines}")


# ------------------------------------------------------------------------------------------ reading
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_for(table: str, sheet_names: list[str]) -> str | None:
    short = table.removeprefix("framework_")
    by_lower = {s.strip().lower(): s for s in sheet_names}
    return by_lower.get(table) or by_lower.get(short)


def read_workbook(path: Path) -> tuple[dict[str, Rows], dict[str, dict[int, int]], list[Problem]]:
    """Read the sheets into rows of text. Returns tables, the spreadsheet row number of each row, problems."""
    import openpyxl  # local import: only the workbook path needs it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear problem
        raise FrameworkError(
            str(path),
            [Problem("(workbook)", None, None, f"cannot be opened as an .xlsx workbook ({exc})",
                     "save the file as Excel Workbook (.xlsx) and try again")],
        ) from exc
    tables: dict[str, Rows] = {}
    row_numbers: dict[str, dict[int, int]] = {}
    problems: list[Problem] = []
    try:
        for name, table in TABLES.items():
            sheet_name = _sheet_for(name, wb.sheetnames)
            if sheet_name is None:
                problems.append(Problem(name, None, None, "sheet is missing",
                                        f"add a sheet named '{name}' with the columns {', '.join(table.columns)}"))
                continue
            rows_iter = wb[sheet_name].iter_rows(values_only=True)
            header_row = next(rows_iter, None)
            header = [_cell_text(v) for v in (header_row or ())]
            missing = [c for c in table.columns if c not in header]
            for col in missing:
                problems.append(Problem(sheet_name, 1, col, "column is missing from the header row",
                                        f"add a column headed '{col}' in row 1"))
            unknown = [h for h in header if h and h not in table.columns]
            for col in unknown:
                problems.append(Problem(sheet_name, 1, col, "column is not part of the framework table",
                                        f"remove it or rename it to one of: {', '.join(table.columns)}"))
            if missing:
                continue
            index = {h: i for i, h in enumerate(header) if h}
            rows: Rows = []
            numbers: dict[int, int] = {}
            for offset, values in enumerate(rows_iter, start=2):
                texts = [_cell_text(v) for v in values]
                if not any(texts):
                    continue  # blank line
                numbers[len(rows)] = offset
                rows.append({c: texts[index[c]] if index[c] < len(texts) else "" for c in table.columns})
            tables[name] = rows
            row_numbers[name] = numbers
    finally:
        wb.close()
    return tables, row_numbers, problems


def read_seeds(seeds_dir: Path = SEEDS_DIR) -> dict[str, Rows]:
    tables: dict[str, Rows] = {}
    for name in TABLES:
        with open(seeds_dir / f"{name}.csv", newline="", encoding="utf-8") as fh:
            tables[name] = [dict(r) for r in csv.DictReader(fh)]
    return tables


# ------------------------------------------------------------------------------------------ validation
def validate(tables: dict[str, Rows], row_numbers: dict[str, dict[int, int]] | None = None) -> list[Problem]:
    """Every problem with the framework tables (empty list = valid)."""
    problems: list[Problem] = []

    def rownum(table: str, i: int) -> int:
        if row_numbers and table in row_numbers:
            return row_numbers[table].get(i, i + 2)
        return i + 2

    for name, table in TABLES.items():
        seen: dict[tuple[str, ...], int] = {}
        for i, row in enumerate(tables.get(name, [])):
            r = rownum(name, i)
            for col in table.required:
                if not row.get(col, ""):
                    problems.append(Problem(name, r, col, "is empty", f"fill in '{col}' (required)"))
            for col, allowed in table.allowed.items():
                value = row.get(col, "")
                if value and value not in allowed:
                    problems.append(Problem(name, r, col, f"'{value}' is not allowed",
                                            f"use one of: {', '.join(allowed)}"))
            key = tuple(row.get(c, "") for c in table.key)
            if all(key):
                if key in seen:
                    problems.append(Problem(name, r, "/".join(table.key), f"'{'/'.join(key)}' is a duplicate of row "
                                            f"{seen[key]}", "give each row its own key or delete the duplicate"))
                else:
                    seen[key] = r

    domains = {r["domain"] for r in tables.get("framework_domains", [])}
    layers = {r["layer"] for r in tables.get("framework_layers", [])}
    outcomes = {r["outcome_id"]: r for r in tables.get("framework_outcomes", [])}
    indicators = {r["indicator_id"]: r for r in tables.get("framework_indicators", [])}
    metrics = {r["metric_id"] for r in tables.get("framework_metrics", [])}

    for i, row in enumerate(tables.get("framework_outcomes", [])):
        if row["domain"] and row["domain"] not in domains:
            problems.append(Problem("framework_outcomes", rownum("framework_outcomes", i), "domain",
                                    f"'{row['domain']}' is not on the domains sheet", "add the domain or correct it"))
        if row["layer"] and row["layer"] not in layers:
            problems.append(Problem("framework_outcomes", rownum("framework_outcomes", i), "layer",
                                    f"'{row['layer']}' is not on the layers sheet", "use layer 1, 2 or 3"))
    for i, row in enumerate(tables.get("framework_indicators", [])):
        if row["outcome_id"] and row["outcome_id"] not in outcomes:
            problems.append(Problem("framework_indicators", rownum("framework_indicators", i), "outcome_id",
                                    f"'{row['outcome_id']}' is not on the outcomes sheet",
                                    "add the outcome first or correct the id"))
    for i, row in enumerate(tables.get("framework_metrics", [])):
        r = rownum("framework_metrics", i)
        indicator = indicators.get(row["indicator_id"])
        if row["indicator_id"] and indicator is None:
            problems.append(Problem("framework_metrics", r, "indicator_id",
                                    f"'{row['indicator_id']}' is not on the indicators sheet",
                                    "add the indicator first or correct the id"))
        elif indicator is not None:
            outcome = outcomes.get(indicator["outcome_id"])
            if outcome is not None and (outcome["domain"], outcome["layer"]) != (row["domain"], row["layer"]):
                problems.append(Problem(
                    "framework_metrics", r, "domain/layer",
                    f"says {row['domain']} layer {row['layer']} but its indicator's outcome "
                    f"'{outcome['outcome_id']}' is {outcome['domain']} layer {outcome['layer']}",
                    "make the metric's domain and layer match its outcome (or move the indicator)"))
        if row["status"] == "declared" and not row.get("data_needed"):
            problems.append(Problem("framework_metrics", r, "data_needed", "is empty for a declared metric",
                                    "say what data the metric would need to be computed"))
        levels = [v for v in row.get("geography_levels", "").split("|") if v]
        for level in levels:
            if level not in GEOGRAPHY_LEVELS:
                problems.append(Problem("framework_metrics", r, "geography_levels", f"'{level}' is not a geography level",
                                        f"use values from {', '.join(GEOGRAPHY_LEVELS)} separated by |"))
        if row.get("breakdowns") and "total" not in row["breakdowns"].split("|"):
            problems.append(Problem("framework_metrics", r, "breakdowns", "does not include 'total'",
                                    "start the list with total (the whole cohort), e.g. total|sex"))
    for i, row in enumerate(tables.get("framework_crosswalk", [])):
        if row["metric_id"] and row["metric_id"] not in metrics:
            problems.append(Problem("framework_crosswalk", rownum("framework_crosswalk", i), "metric_id",
                                    f"'{row['metric_id']}' is not on the metrics sheet", "add the metric or correct the id"))

    # every domain × layer cell has at least one metric
    if "framework_metrics" in tables:
        cells = {(r["domain"], r["layer"]) for r in tables["framework_metrics"]}
        for domain in sorted(domains):
            for layer in sorted(layers):
                if (domain, layer) not in cells:
                    problems.append(Problem("framework_metrics", None, None,
                                            f"no metric for domain '{domain}', layer {layer}",
                                            "add at least one metric (it may be status 'declared') to every cell"))

    # one framework version for the whole workbook
    versions: dict[str, tuple[str, int]] = {}
    for name in TABLES:
        for i, row in enumerate(tables.get(name, [])):
            v = row.get("framework_version", "")
            if v:
                versions.setdefault(v, (name, rownum(name, i)))
    if len(versions) > 1:
        listed = "; ".join(f"'{v}' (first in {s} row {r})" for v, (s, r) in versions.items())
        problems.append(Problem("(workbook)", None, "framework_version",
                                f"more than one framework version: {listed}",
                                "use one framework_version on every row, and a new one whenever definitions change"))
    return problems


def load_workbook(path: Path) -> dict[str, Rows]:
    """Read and validate a framework workbook. Raises FrameworkError listing every problem."""
    tables, row_numbers, problems = read_workbook(Path(path))
    problems += validate(tables, row_numbers)
    if problems:
        raise FrameworkError(str(path), problems)
    return tables


def check_seeds(seeds_dir: Path = SEEDS_DIR) -> dict[str, Rows]:
    tables = read_seeds(seeds_dir)
    problems = validate(tables)
    if problems:
        raise FrameworkError(str(seeds_dir), problems)
    return tables


# ------------------------------------------------------------------------------------------ writing
def write_seeds(tables: dict[str, Rows], seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write validated tables as the seed CSVs (same columns and order as the seeds). Returns the files."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        target = seeds_dir / f"{name}.csv"
        tmp = target.with_suffix(".csv.tmp")
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table.columns), lineterminator="\n")
            writer.writeheader()
            for row in tables[name]:
                writer.writerow({c: row.get(c, "") for c in table.columns})
        tmp.replace(target)
        written.append(target)
    return written


def export_workbook(path: Path, seeds_dir: Path = SEEDS_DIR) -> Path:
    """Write the current seeds as a workbook (one sheet per table) - the template a borough edits."""
    import openpyxl

    tables = read_seeds(seeds_dir)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in TABLES.items():
        ws = wb.create_sheet(name)
        ws.append(list(table.columns))
        for row in tables[name]:
            ws.append([row.get(c, "") for c in table.columns])
    wb.save(path)
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m fhub.framework ...`` is ``fhub framework ...``."""
    from fhub.cli import main as fhub_main

    return fhub_main(["framework", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    raise SystemExit(main())
