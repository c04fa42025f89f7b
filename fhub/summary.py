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
    lines += [
        "",
        "## Where things are",
        "",
        f"- published mart (open read-only): {paths.published_db}",
        f"- exports (Parquet/CSV): {paths.exports / 'current'}",
        f"- run manifest: {paths.manifests / (summary['run_id'] + '.json')}",
        f"- delivery receipts: {paths.receipts}",
        f"- GX Data Docs: {paths.gx_docs / 'index.html'}",
        f"- dbt docs: {paths.dbt_docs / 'index.html'}",
        f"- performance-cycle report: {paths.reports / 'performance' / 'index.html'}",
        f"- this summary: {paths.reports / 'run-summary.md'}",
    ]
    return "\n".join(lines) + "\n"


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
