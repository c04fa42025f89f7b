"""How a borough's receipt reads (issue 17): one receipt per borough per run (for a borough whose files were
seen in the run; due deliveries not received are listed in it), the summary first, then what to
do and by when, repeated warnings grouped once, a section only for each file that needs action, and one
line per file that landed cleanly. Rendered as Markdown (``<run_id>.md``) and as a self-contained HTML page
(``<run_id>.html``); the CSV of every problem row is written by :mod:`fhub.landing.receipts`.

Every text is a template: labels (borough, extract, period, delivery id), agreed column names, row numbers,
counts, dates and the landing engine's own templated reasons and fixes; never a cell, heading or file name
(a file name only when it follows the agreed pattern, as before).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fhub.landing.result import DeliveryOutcome

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ACTION_STATUSES = ("quarantined", "held", "waiting", "duplicate", "refused")
LANDED = ("landed", "superseded", "confirmed")
NOT_LANDED = ("quarantined", "duplicate", "refused")
#: how a file with nothing to do reads in the one-line list
CLEAN_STATUS = {"landed": "landed", "superseded": "landed into history (a newer delivery is in use)",
                "confirmed": "confirmed, now in use", "ignored": "not read (a temporary or hidden file, or a folder)"}
NEXT_RUN = "before the next nightly run (02:00, London time), so the next night's figures include it"


@dataclass(frozen=True)
class DueGap:
    """A due delivery that has not landed (from :func:`fhub.notify.due.missing_deliveries`)."""

    extract: str
    period: str
    due_on: dt.date
    not_landed: int = 0


@dataclass
class WarningGroup:
    column: str
    reason: str
    fix: str
    files: list[tuple[str, int]] = field(default_factory=list)  # (delivery label, rows)

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.files)


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ").replace("\r", " ")
    if text[:1] in ("=", "+", "-", "@"):
        text = "'" + text
    return text


WHOLE_FILE = "(whole file)"


def file_warning_key(col: str | None, reason: str) -> tuple[str, str]:
    return (WHOLE_FILE if col is None else f"{col} {WHOLE_FILE}", reason)


def repeated_warnings(items: list[DeliveryOutcome], problems: dict[tuple[str, str], tuple]) -> list[WarningGroup]:
    """Warnings with the same column and reason in two or more files - row warnings and warnings about a whole
    file (e.g. a column of personal details removed from every monthly register) - shown once, with the
    files."""
    groups: dict[tuple[str, str], WarningGroup] = {}
    for o in items:
        for col, reason, fix, n, _rows in problems.get(("warnings", o.delivery_id), ([], []))[0]:
            g = groups.setdefault((col, reason), WarningGroup(col, reason, fix))
            g.files.append((o.label, n))
        for col, reason, fix in o.file_warnings:
            key = file_warning_key(col, reason)
            g = groups.setdefault(key, WarningGroup(key[0], reason, fix))
            g.files.append((o.label, 0))
    return sorted((g for g in groups.values() if len(g.files) >= 2),
                  key=lambda g: (-g.rows, -len(g.files), g.column, g.reason))


def needs_action(o: DeliveryOutcome, problems: dict[tuple[str, str], tuple], grouped: set[tuple[str, str]]) -> bool:
    if o.status in ACTION_STATUSES or o.rows_rejected:
        return True
    if any(file_warning_key(col, reason) not in grouped for col, reason, _ in o.file_warnings):
        return True
    own = problems.get(("warnings", o.delivery_id), ([], []))[0]
    return any((col, reason) not in grouped for col, reason, *_ in own)


def _count(items: list[DeliveryOutcome], *statuses: str) -> int:
    return sum(1 for o in items if o.status in statuses)


def summary_lines(items: list[DeliveryOutcome], missing: list[DueGap]) -> list[str]:
    landed = [o for o in items if o.status in LANDED]
    rows = (sum(o.rows_delivered for o in landed), sum(o.rows_landed for o in landed),
            sum(o.rows_rejected for o in landed), sum(o.rows_warned for o in landed))
    return ["## Summary", "",
            "| files received | landed | held | quarantined or not landed | waiting for a mapping | rows delivered "
            "| rows landed | rows rejected | rows landed with a warning | due deliveries not received |",
            "|---|---|---|---|---|---|---|---|---|---|",
            f"| {len(items):,} | {len(landed):,} | {_count(items, 'held'):,} | {_count(items, *NOT_LANDED):,} | "
            f"{_count(items, 'waiting'):,} | {rows[0]:,} | {rows[1]:,} | {rows[2]:,} | {rows[3]:,} | {len(missing):,} |",
            "", *(["Rows of held files are stored but not in use; each held file has its section below.", ""]
                  if _count(items, "held") else [])]


def todo_lines(items: list[DeliveryOutcome], groups: list[WarningGroup], missing: list[DueGap],
               today: dt.date) -> list[str]:
    todo: list[str] = []
    for gap in missing:
        overdue = "it was due on" if gap.due_on < today else "it is due by"
        arrived = (f" ({gap.not_landed} file(s) arrived for it but none could be landed)" if gap.not_landed else "")
        todo.append(f"**Nothing received for {cell(gap.extract)} {cell(gap.period)}**{arrived}: send it as soon as "
                    f"possible ({overdue} {gap.due_on:%d %B %Y}).")
    for o in items:
        if o.status in ("held", *NOT_LANDED):
            todo.append(f"**{cell(o.label)}** ({'held' if o.status == 'held' else 'not landed'}): "
                        f"{cell(o.fix or 'correct the file as its section below says')} By: {NEXT_RUN}.")
        elif o.status == "waiting":
            todo.append(f"**{cell(o.label)}** waits for your borough's mapping file: ask the central team.")
        elif o.rows_rejected:
            todo.append(f"**Correct {o.rows_rejected:,} rejected row(s) in {cell(o.label)}** and send the whole "
                        f"file again (its section below lists the rows and columns). By: {NEXT_RUN}.")
    fixes: dict[str, list[WarningGroup]] = {}
    for g in groups:  # one line per fix: the same fix for three kinds of identifier is one thing to do
        fixes.setdefault(g.fix, []).append(g)
    for fix, gs in fixes.items():
        rows = sum(g.rows for g in gs)
        files = len({label for g in gs for label, _ in g.files})
        columns = ", ".join(sorted({cell(g.column) for g in gs}))
        what = f"{rows:,} rows in {files} files" if rows else f"{files} files"
        todo.append(f"**{cell(fix)}** ({what}: {columns}; they landed, see *Repeated warnings*).")
    if not todo:
        return ["## What to do", "", "Nothing: every file landed cleanly and no due delivery is missing.", ""]
    return ["## What to do", "", *[f"{i}. {t}" for i, t in enumerate(todo, start=1)], ""]


def group_lines(groups: list[WarningGroup]) -> list[str]:
    if not groups:
        return []
    out = ["## Repeated warnings (the same problem in several files)", "",
           "| column | problem | files | rows | how to fix | in which files (rows) |", "|---|---|---|---|---|---|"]
    for g in groups:
        shown = ", ".join(f"{cell(label)}" + (f" ({n:,})" if n else "") for label, n in g.files[:12])
        more = f", and {len(g.files) - 12} more (all in the CSV)" if len(g.files) > 12 else ""
        out.append(f"| {cell(g.column)} | {cell(g.reason)} | {len(g.files):,} | {g.rows:,} | {cell(g.fix)} | "
                   f"{shown}{more} |")  # whole-file warnings: 0 rows
    return [*out, ""]


def clean_lines(items: list[DeliveryOutcome]) -> list[str]:
    if not items:
        return []
    from fhub.landing.ledger import describe

    out = [f"## Files with nothing to do ({len(items):,})", "",
           "| delivery | extract | period | status | rows landed | every line accounted for | note |",
           "|---|---|---|---|---|---|---|"]
    for o in sorted(items, key=lambda o: (o.extract_type or "", o.period or "", o.delivery_id)):
        status = CLEAN_STATUS.get(o.status, o.status)
        if o.supersedes:
            status += "; Replaces the earlier delivery " + ", ".join(cell(s) for s in o.supersedes)
        if o.rows_warned:
            status += f"; {o.rows_warned:,} row(s) with a repeated warning"
        ledger = cell(describe(o.ledger)) if o.ledger is not None else ""
        out.append(f"| {cell(o.label)} | {cell(o.extract_type)} | {cell(o.period)} | {status} | {o.rows_landed:,} | "
                   f"{ledger} | {cell(o.reason)} |")
    return [*out, ""]


def render(slug: str, code: str | None, run_id: str, key_label: str, csv_name: str, items: list[DeliveryOutcome],
           problems: dict[tuple[str, str], tuple], missing: list[DueGap], today: dt.date,
           file_section: Callable[[DeliveryOutcome, set[tuple[str, str]]], list[str]]) -> str:
    """The receipt as Markdown; ``file_section(outcome, grouped)`` writes one file's section (receipts.py)."""
    groups = repeated_warnings(items, problems)
    grouped = {(g.column, g.reason) for g in groups}
    act: list[DeliveryOutcome] = []
    clean: list[DeliveryOutcome] = []
    for o in items:  # one pass (a borough's night can be ~150 files; no list-membership test per file)
        (act if needs_action(o, problems, grouped) else clean).append(o)
    lines = [f"# Delivery receipt — {slug}{f' ({code})' if code else ''}", "",
             f"Run `{run_id}`. Pseudonymisation key: **{key_label}**"
             + (" (DEMO key — synthetic data only, never for real data)" if key_label == "demo" else "") + ".",
             f"Every problem row is listed in `{csv_name}` (open it in a spreadsheet).", ""]
    if not items:
        lines += ["No new files from this borough were received in this run (files received before, unchanged, are not listed again).", ""]
    lines += summary_lines(items, missing) + todo_lines(items, groups, missing, today) + group_lines(groups)
    if act:
        lines += [f"## Files that need action ({len(act):,})", ""]
        for o in act:
            lines += file_section(o, grouped)
            lines.append("")
    lines += clean_lines(clean)
    return "\n".join(lines) + "\n"


_STYLE = """body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;margin:0 auto;
max-width:1100px;padding:16px;line-height:1.45}table{border-collapse:collapse;margin:8px 0;font-size:.92em}
th,td{border:1px solid #d0d0d0;padding:4px 6px;text-align:left;vertical-align:top}thead th{background:#eef2f6}
.table-wrap{overflow-x:auto;max-width:100%}.table-wrap:focus,a:focus{outline:3px solid #F0E442}
h2{border-top:2px solid #d0d0d0;padding-top:.6em}code{background:#f3f3f3;padding:0 3px}"""


def receipt_markdown() -> MarkdownIt:
    """The receipt's Markdown renderer (here and on the pre-send check's page, :mod:`fhub.check.render`): raw
    HTML never rendered, no links, each table in a scrollable, keyboard-reachable region."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.validateLink = lambda url: False  # noqa: ARG005 - a receipt has no links; never render one

    def table_open(renderer, tokens, idx, options, env):
        return ('<div class="table-wrap" role="region" aria-label="Receipt table" tabindex="0">'
                + renderer.renderToken(tokens, idx, options, env))

    def table_close(renderer, tokens, idx, options, env):
        return renderer.renderToken(tokens, idx, options, env) + "</div>"

    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)
    return md


def to_html(markdown: str, title: str) -> str:
    """A self-contained HTML page of the receipt (no scripts, no external assets; raw HTML never rendered)."""
    md = receipt_markdown()
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body><main>\n"
            f"{md.render(markdown)}</main></body></html>\n")


def due_gaps(con, mappings: dict, project, today: dt.date) -> dict[str, tuple[str | None, list[DueGap]]]:
    """Due deliveries not received, per borough slug (the notification rules of ``config/notifications.yml``,
    :mod:`fhub.notify.due`). A receipt must never fail landing: unreadable configuration means no gaps."""
    from fhub.notify.config import NotifyConfigError, config_path, load_notify_config
    from fhub.notify.due import missing_deliveries
    from fhub.notify.facts import ledger_rows

    try:
        rule = load_notify_config(config_path(project)).due
    except (NotifyConfigError, OSError, ValueError):
        return {}
    ledger = ledger_rows(con)
    out: dict[str, tuple[str | None, list[DueGap]]] = {}
    for m in missing_deliveries(mappings, ledger, today, rule.days_after_period_end, rule.not_before):
        out.setdefault(m.borough_slug, (m.borough_code, []))[1].append(
            DueGap(m.extract, m.period, m.due_on, m.not_landed))
    return out
