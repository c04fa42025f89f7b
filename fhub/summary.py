"""The run summary: what happened tonight, where everything is (printed and written as Markdown)."""

from __future__ import annotations

import os
from pathlib import Path

from fhub.settings import Paths


def render_summary(paths: Paths, summary: dict) -> str:
    gate = summary.get("gate", {})
    lines = [
        f"# Nightly run {summary['run_id']}",
        "",
        f"- mode: {summary.get('mode')} (pseudonymisation key: {summary.get('key_label')})",
        f"- code version: {summary.get('code_version')}",
        f"- published: {'yes' if summary.get('published') else 'NO'}",
    ]
    for reason in gate.get("block_reasons", []):
        lines.append(f"  - not published because: {reason}")
    for w in gate.get("withheld_scopes", []):
        lines.append(
            f"  - withheld: {w['borough_code']} {w.get('extract_type') or 'all extracts'} "
            f"{w.get('period') or 'all periods'}: " + "; ".join(w["reasons"])
        )
    land = summary.get("land", {})
    boroughs = land.get("boroughs", {}) if isinstance(land, dict) else {}
    if boroughs.get("summary"):
        lines.append(f"- borough extracts: {boroughs['summary']}")
    for name in boroughs.get("quarantined", [])[:20]:
        lines.append(f"  - quarantined: {name} (see its receipt)")
    if boroughs.get("removed_from_incoming"):
        lines.append(f"  - {boroughs['removed_from_incoming']:,} delivered file(s) removed from incoming/ (kept "
                     "encrypted in archive/ or quarantine/)")
    originals = land.get("originals", {}) if isinstance(land, dict) else {}
    if originals:
        lines.append(f"- stored originals: {originals.get('purged', 0)} purged after "
                     f"{originals.get('retention_days')} days (landing.originals_purged)"
                     + (f", {originals['encrypted_plaintext']} plaintext ones encrypted"
                        if originals.get("encrypted_plaintext") else ""))
    reference = land.get("reference", {}) if isinstance(land, dict) else {}
    if reference.get("summary"):
        lines.append(f"- reference files: {reference['summary']}")
    if summary.get("dbt"):
        lines.append(f"- {summary['dbt']}")
    if summary.get("gx"):
        lines.append(f"- {summary['gx']}")
    privacy = summary.get("privacy_audit")
    if privacy:
        lines.append(f"- privacy audit: {privacy.get('cells_redacted', 0)} cell(s) with identifier-like text "
                     f"redacted from the public file, {len(privacy.get('scopes_withheld', []))} scope(s) withheld "
                     "(table privacy_audit)")
    lines.append(_serving_line(summary))
    lines += borough_table(summary)
    lines += [
        "",
        "## Where things are (paths relative to the data folder, FHUB_DATA_DIR)",
        "",
        f"- published mart (open read-only): {_rel(paths, paths.published_db)}",
        f"- exports (Parquet/CSV): {_rel(paths, paths.exports / 'current')}",
        f"- run manifest: {_rel(paths, paths.manifests / (summary['run_id'] + '.json'))}",
        f"- delivery receipts: {_rel(paths, paths.receipts)}/<borough>/{summary['run_id']}.md (.html, .csv)",
        f"- GX Data Docs: {_rel(paths, paths.gx_docs / 'index.html')}",
        f"- dbt docs: {_rel(paths, paths.dbt_docs / 'index.html')}",
        f"- performance-cycle report: {_rel(paths, paths.reports / 'performance' / 'index.html')} (PDF packs beside it)",
        f"- this summary: {_rel(paths, paths.reports / 'run-summary.md')}",
    ]
    return "\n".join(lines) + "\n"


def _rel(paths: Paths, target: Path) -> str:
    """A path as the summary prints it: relative to the data folder (the folder itself as ``.``), so the
    summary can be read, mailed or published without naming the machine's directories."""
    try:
        return Path(os.path.relpath(target, paths.data)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(target).name


def borough_table(summary: dict) -> list[str]:
    """One row per borough that sent files or had data withheld tonight: the status a coordinator scans."""
    land = summary.get("land", {})
    per = dict((land.get("boroughs", {}) if isinstance(land, dict) else {}).get("by_borough") or {})
    withheld: dict[str, int] = {}
    for w in summary.get("gate", {}).get("withheld_scopes", []):
        withheld[w["borough_code"]] = withheld.get(w["borough_code"], 0) + 1
    for code in withheld:
        if not any(row.get("code") == code for row in per.values()):
            per[code] = {"code": code}
    if not per:
        return []
    out = ["", "## Boroughs tonight", "",
           "| borough | status | files received | landed | quarantined or held | rows rejected | scopes withheld | receipt |",
           "|---|---|---|---|---|---|---|---|"]
    for slug, row in sorted(per.items()):
        held = int(row.get("quarantined", 0)) + int(row.get("held", 0))
        scopes = withheld.get(row.get("code"), 0)
        status = ("needs action" if held or scopes or row.get("rows_rejected") else
                  "landed cleanly" if row.get("files") else "nothing received")
        receipt = f"receipts/{slug}/{summary['run_id']}.md" if row.get("files") is not None else "none"
        out.append(f"| {slug} | {status} | {int(row.get('files', 0)):,} | {int(row.get('landed', 0)):,} | {held:,} | "
                   f"{int(row.get('rows_rejected', 0)):,} | {scopes:,} | {receipt} |")
    return out


def borough_counts(deliveries: list) -> dict[str, dict]:
    """Per borough slug: files received, landed, quarantined, held and rows rejected in this run (from the
    landing outcomes; files already received on an earlier night are not counted)."""
    out: dict[str, dict] = {}
    for d in deliveries:
        if d.status == "skipped":
            continue
        row = out.setdefault(d.borough_slug, {"code": d.borough_code, "files": 0, "landed": 0, "quarantined": 0,
                                              "held": 0, "rows_rejected": 0})
        row["code"] = row["code"] or d.borough_code
        row["files"] += 1
        row["landed"] += d.status in ("landed", "superseded")
        row["quarantined"] += d.status == "quarantined"
        row["held"] += d.status == "held"
        row["rows_rejected"] += d.rows_rejected
    return out


def _serving_line(summary: dict) -> str:
    serving = summary.get("serving")
    if not summary.get("published"):
        return "- serving database (PostgreSQL): unchanged (nothing was published)"
    if not serving:
        return "- serving database (PostgreSQL): not configured (fhub postgres up, or FHUB_POSTGRES_DSN)"
    return f"- serving database (PostgreSQL, {serving['line']}"


def write_summary(paths: Paths, summary: dict) -> Path:
    """Write ``reports/run-summary.md``; any identifier-like substring that reached the summary's text is
    replaced by its tag (:func:`fhub.privacy.scrub`) - the summary is shown and logged."""
    from fhub.privacy import scrub

    paths.reports.mkdir(parents=True, exist_ok=True)
    text = scrub(render_summary(paths, summary))[0]
    target = paths.reports / "run-summary.md"
    tmp = paths.reports / ".run-summary.md.tmp"
    tmp.write_text(text)
    os.replace(tmp, target)
    return target
