"""Per-delivery receipts for borough data officers: ``receipts/<slug>/<run_id>.md`` (readable summary: what
landed, what was rejected, which row, which column, why, how to fix) and ``.csv`` (every problem row,
formula-neutralised so it is safe to open in a spreadsheet). Receipts never quote what a file contains: a
delivery is named by its label (borough, extract, period, delivery id) and its file name as delivered only when
that name follows the agreed pattern (otherwise masked); a problem is named by row, agreed column and the
value's masked shape (issue 13)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from fhub.landing.labels import receipt_file_name
from fhub.landing.ledger import describe as describe_ledger
from fhub.landing.quarantine import safe_file_name
from fhub.landing.receipt_view import DueGap, file_warning_key, render, to_html
from fhub.landing.receipt_view import cell as _md_cell  # one Markdown-cell escape for the whole receipt
from fhub.landing.result import DeliveryOutcome
from fhub.landing.sqlkit import lit
from fhub.privacy import scrub
from fhub.privacy.gate import scrub_text_file

#: rows of detail shown per delivery in the Markdown receipt (the CSV has them all)
MD_DETAIL_ROWS = 50
_STATUS_TEXT = {
    "landed": "Landed",
    "superseded": "Landed into history (a newer delivery for this period is in use)",
    "quarantined": "NOT landed — quarantined",
    "skipped": "Already received — nothing changed",
    "waiting": "Waiting — no borough mapping yet (file left in place)",
    "held": "HELD — stored but not in use (see why below)",
    "duplicate": "NOT landed — the same bytes were received before as another period's file",
    "ignored": "Not read",
    "refused": "Not read — refused",
    "confirmed": "Confirmed — now in use",
}
_WITH_ROWS = ("landed", "superseded", "held")


def write_receipts(con: duckdb.DuckDBPyConnection, receipts_root: Path, run_id: str,
                   outcomes: list[DeliveryOutcome], key_label: str,
                   missing: dict[str, tuple[str | None, list[DueGap]]] | None = None,
                   today: dt.date | None = None, boroughs: dict[str, str] | None = None) -> list[Path]:
    """One receipt per borough per run (``.md``, ``.html``, ``.csv``): for every borough with files in this
    run and every borough in ``boroughs`` (slug -> borough code: the nightly passes every mapped borough, so a
    borough that sent nothing new reads so, and what was due);
    ``missing`` (slug -> (borough code, due deliveries not received)) adds "nothing received for …"."""
    by_slug: dict[str, list[DeliveryOutcome]] = {slug: [] for slug in boroughs or {}}
    for o in outcomes:
        by_slug.setdefault(o.borough_slug, []).append(o)
    written: list[Path] = []
    stem = safe_file_name(run_id)
    for slug, items in sorted(by_slug.items()):
        folder = receipts_root / safe_file_name(slug)
        folder.mkdir(parents=True, exist_ok=True)
        md_path, csv_path, html_path = folder / f"{stem}.md", folder / f"{stem}.csv", folder / f"{stem}.html"
        _write_csv(con, csv_path, [o.delivery_id for o in items if o.status in _WITH_ROWS], run_id)
        code, gaps = (missing or {}).get(slug, ((boroughs or {}).get(slug), []))
        # a last line of defence: no identifier-like substring reaches a receipt (fhub.privacy.gate)
        text = scrub(_markdown(con, slug, run_id, items, key_label, csv_path.name, gaps, code,
                               today or dt.date.today()))[0]
        for path, body in ((md_path, text), (html_path, to_html(text, f"Delivery receipt {slug} {run_id}"))):
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_text(body, encoding="utf-8")
            os.replace(tmp, path)
        scrub_text_file(csv_path)
        written += [md_path, csv_path, html_path]
    return written


def _write_csv(con: duckdb.DuckDBPyConnection, path: Path, ids: list[str], run_id: str) -> None:
    id_list = ", ".join(lit(i) for i in ids) or "null"
    neut = "case when left({c}, 1) in ('=', '+', '-', '@') then '''' || {c} else {c} end"
    cols = ", ".join(f"{neut.format(c=c)} as {c}" for c in ("column_name", "value_excerpt", "reason", "fix"))
    query = f"""
        select d.delivery_label as delivery, outcome, row_number as "row", line_number as line, {cols}
        from (
            select *, 'row rejected' as outcome, 0 as o from landing.rejects
            where delivery_id in ({id_list}) and run_id = {lit(run_id)}
            union all
            select *, case when row_number is null then 'file warning' else 'row landed with warning' end,
                   1 from landing.warnings where delivery_id in ({id_list}) and run_id = {lit(run_id)}
        ) p join landing.deliveries d using (delivery_id)
        order by delivery, o, "row" nulls first, column_name
    """
    tmp = path.with_suffix(".csv.tmp")
    con.execute(f"copy ({query}) to {lit(str(tmp))} (header, delimiter ',', quote '\"')")
    os.replace(tmp, path)


def _markdown(con: duckdb.DuckDBPyConnection, slug: str, run_id: str, items: list[DeliveryOutcome],
              key_label: str, csv_name: str, missing: list[DueGap] | None = None, code: str | None = None,
              today: dt.date | None = None) -> str:
    code = next((o.borough_code for o in items if o.borough_code), code)
    problems = _problems(con, [o.delivery_id for o in items if o.status in _WITH_ROWS], run_id)

    def file_section(o: DeliveryOutcome, grouped: set[tuple[str, str]]) -> list[str]:
        lines = [f"### {_md_cell(o.label)}", ""]
        if not o.description:  # files that are not deliveries are described, never named
            lines.append(f"- **File:** {_md_cell(receipt_file_name(o.source_file, o.extract_type is not None))}")
        lines.append(f"- **Status:** {_STATUS_TEXT.get(o.status, o.status)}")
        if o.extract_type:
            lines.append(f"- **Extract:** {o.extract_type} · **period:** {o.period}")
        if o.sha256:
            lines.append(f"- **SHA-256:** `{o.sha256}`")
        if o.status in _WITH_ROWS:
            landed = "accepted but held (stored, not in use)" if o.status == "held" else "landed"
            lines.append(f"- **Rows:** {o.rows_delivered:,} delivered = {o.rows_landed:,} {landed} + "
                         f"{o.rows_rejected:,} rejected ({o.rows_warned:,} with a warning)")
            if o.ledger is not None:
                lines.append(f"- **Every line accounted for:** {describe_ledger(o.ledger)}")
            if o.supersedes:
                lines.append(f"- **Replaces** the earlier delivery: {', '.join(map(_md_cell, o.supersedes))}")
        if o.reason:
            lines += [f"- **Why:** {_md_cell(o.reason)}"]
        if o.fix:
            lines += [f"- **How to fix:** {_md_cell(o.fix)}"]
        if o.status in _WITH_ROWS:
            lines += _problem_sections(o, problems, grouped)
        return lines

    return render(slug, code, run_id, key_label, csv_name, items, problems, missing or [],
                  today or dt.date.today(), file_section)


def _problems(con: duckdb.DuckDBPyConnection, ids: list[str], run_id: str) -> dict[tuple[str, str], tuple]:
    """(table, delivery id) → (summary rows, detail rows) for every delivery of the receipt, in two queries
    per table (not per delivery)."""
    found: dict[tuple[str, str], tuple] = {}
    if not ids:
        return found
    con.execute("create or replace temp table _receipt_ids as select unnest(?) as delivery_id", [ids])
    for table in ("rejects", "warnings"):
        summary = con.execute(f"""
            select delivery_id, col, reason, fix, n, rows from (
                select delivery_id, coalesce(column_name, '(whole row)') as col, reason, any_value(fix) as fix,
                       count(*) as n, string_agg(cast(row_number as varchar), ', ' order by row_number) as rows
                from landing.{table} semi join _receipt_ids using (delivery_id)
                where run_id = ? and row_number is not null group by all
            ) qualify row_number() over (partition by delivery_id order by n desc, col) <= 30
            order by delivery_id, n desc, col
        """, [run_id]).fetchall()
        detail = con.execute(f"""
            select delivery_id, row_number, line_number, coalesce(column_name, '(whole row)'), value_excerpt,
                   reason, fix
            from landing.{table} semi join _receipt_ids using (delivery_id)
            where run_id = ? and row_number is not null
            qualify row_number() over (partition by delivery_id order by row_number, column_name) <= {MD_DETAIL_ROWS}
            order by delivery_id, row_number, column_name
        """, [run_id]).fetchall()
        for r in summary:
            found.setdefault((table, r[0]), ([], []))[0].append(r[1:])
        for r in detail:
            found.setdefault((table, r[0]), ([], []))[1].append(r[1:])
    con.execute("drop table _receipt_ids")
    return found


def _problem_sections(o: DeliveryOutcome, problems: dict[tuple[str, str], tuple],
                      grouped: set[tuple[str, str]] | None = None) -> list[str]:
    """A file's rejected rows and warnings; warnings repeated across files (``grouped``: column, reason) are
    listed once under *Repeated warnings* instead."""
    grouped = grouped or set()
    out: list[str] = []
    own = [(r, f) for c, r, f in o.file_warnings if file_warning_key(c, r) not in grouped]
    if own:
        out += ["", "#### Warnings about the whole file", ""]
        out += [f"- {_md_cell(r)} *Fix:* {_md_cell(f)}" for r, f in own]
    for table, title in (("rejects", "Rejected rows"), ("warnings", "Rows landed with a warning")):
        summary, detail = problems.get((table, o.delivery_id), ([], []))
        if table == "warnings":
            summary = [r for r in summary if (r[0], r[1]) not in grouped]
            detail = [r for r in detail if (r[2], r[4]) not in grouped]
        if not summary:
            continue
        out += ["", f"#### {title} — summary by problem", "", "| column | problem | rows | which rows | how to fix |",
                "|---|---|---|---|---|"]
        for col, reason, fix, n, rows in summary:
            shown = rows if len(rows) <= 80 else rows[:80].rsplit(",", 1)[0] + ", …"
            out.append(f"| {_md_cell(col)} | {_md_cell(reason)} | {n:,} | {_md_cell(shown)} | {_md_cell(fix)} |")
        out += ["", f"#### {title} — first {min(len(detail), MD_DETAIL_ROWS)} in detail", "",
                "| row | line | column | value (shape) | problem | how to fix |", "|---|---|---|---|---|---|"]
        out += [f"| {r} | {ln if ln is not None else ''} | {_md_cell(c)} | {_md_cell(v)} | {_md_cell(p)} | "
                f"{_md_cell(f)} |" for r, ln, c, v, p, f in detail]
    return out
