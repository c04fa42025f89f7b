"""The committed ``BENCHMARKS.md`` results table: one row per benchmark run, appended, never rewritten."""

from __future__ import annotations

from pathlib import Path

from fhub_dev.bench.result import BenchResult, verdicts
from fhub_dev.bench.stages import STAGES

COLUMNS: tuple[str, ...] = (
    "date",
    "commit",
    "machine",
    "scale",
    "contacts",
    "EYFSP pupils",
    "generate s",
    "land s",
    "dbt build s",
    "validate s",
    "publish s",
    "reports s",
    "overhead s",
    "full run s",
    "peak GB",
    "work file GB",
    "limit s (land+models)",
    "ratio",
    "incremental s",
    "incr %",
    "full-refresh s",
    "targets",
)
HEADER = "| " + " | ".join(COLUMNS) + " |"
SEPARATOR = "|" + "|".join("---" for _ in COLUMNS) + "|"
TABLE_MARKER = "<!-- fhub_dev.bench: results rows are appended below this line by `python -m fhub_dev.bench` -->"

TEMPLATE = f"""# Benchmarks

Rows are appended by `make bench` (`python -m fhub_dev.bench --scale london`); see docs/performance.md for what
each column measures and how. Times are wall seconds, memory is the peak resident memory of the whole
process tree of the nightly run. Never edit a row by hand.

{TABLE_MARKER}

{HEADER}
{SEPARATOR}
"""


def _num(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def format_row(result: BenchResult) -> str:
    judged = verdicts(result)
    target_text = "; ".join(v.text() for v in judged) if judged else "no targets at this scale"
    if result.notes:
        target_text += ". NOTE: " + "; ".join(result.notes)
    limit = (
        "–"
        if result.limit_s is None
        else f"{result.limit_s:,.1f} ({_num(result.limit_landing_s)}+{_num(result.limit_models_s)})"
    )
    cells = [
        result.date,
        result.commit,
        result.machine
        + ("" if result.load_avg is None else f"; load {result.load_avg[0]:.1f}→{result.load_avg[1]:.1f}"),
        result.scale,
        _num(result.contacts),
        _num(result.eyfsp_pupils),
        _num(result.generate_s),
        *(_num(result.stages.get(stage)) for stage in STAGES),
        _num(result.overhead_s),
        _num(result.full_s),
        _num(result.peak_gb, 2),
        _num(result.work_db_gb, 2),
        limit,
        "–" if result.ratio is None else f"{result.ratio:.2f}×",
        _num(result.incremental_s),
        _num(result.incremental_pct, 0),
        _num(result.full_refresh_s),
        target_text,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def append_row(path: Path, result: BenchResult) -> str:
    """Append the run's row to the table in ``path`` (created from the template if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else TEMPLATE
    lines = text.splitlines()
    if HEADER not in lines:  # table missing or columns changed: start a new table at the end
        lines += ["", TABLE_MARKER, "", HEADER, SEPARATOR]
    start = len(lines) - 1 - lines[::-1].index(HEADER)
    end = start + 1
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    row = format_row(result)
    lines.insert(end, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return row
