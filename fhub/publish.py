"""Write → audit → publish.

The work file (``work/warehouse.duckdb``) holds raw, unsuppressed, row-level data and is never published.
Publishing assembles a *separate* public file holding only the suppressed public relations (as tables), audits
it, and atomically swaps it in:

1. assemble ``publish-staging/warehouse.duckdb`` from the work file (ATTACH read-only, CTAS per relation);
2. the privacy gate (:mod:`fhub.privacy.gate`): every text cell is scanned for identifier-like substrings;
   a cell found is redacted, the borough x extract x period it came from is withheld (``withhold``), a cell that
   cannot be attributed is only redacted; all recorded in ``privacy_audit`` and the manifest, never by value;
   then audit it (every relation readable, required ones non-empty, and nothing identifier-like left);
3. refuse if ``published/warehouse.duckdb.wal`` exists (someone wrote to the analyst file: a stale WAL would
   be replayed into the new file);
4. copy to ``published/.warehouse.duckdb.incoming`` (same filesystem), fsync, keep a hard link to the previous
   version as ``warehouse.duckdb.prev``, ``os.replace`` onto the published name, fsync the folder.

A reader holding the old file open keeps seeing the old version; new readers see the new one; nobody ever
sees a partial file. A kill at any point leaves the published file byte-identical to before.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.dbt.contract import PublicRelation, public_relations
from fhub.settings import Paths

Progress = Callable[[str], None]


class PublishRefused(RuntimeError):
    """The publish was refused; the published file is untouched."""


@dataclass
class AssembleResult:
    staging_file: Path
    tables: dict[str, int] = field(default_factory=dict)  # public name -> rows
    skipped: list[str] = field(default_factory=list)  # optional relations not present in the work file


def _relation_exists(con: duckdb.DuckDBPyConnection, catalog: str, qualified: str) -> bool:
    schema, name = qualified.split(".", 1)
    row = con.execute(
        "select count(*) from information_schema.tables where table_catalog = ? and table_schema = ? "
        "and table_name = ?",
        [catalog, schema, name],
    ).fetchone()
    return bool(row and row[0])


def remove_file_and_wal(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def copy_relation(con: duckdb.DuckDBPyConnection, rel: PublicRelation, *, replace: bool = False) -> int:
    """Copy one public relation from the attached work file (catalog ``work``) into the open public file as a
    table, with its description as the table comment; returns its rows. ``replace``: over an existing copy."""
    create = "create or replace table" if replace else "create table"
    con.execute(f"{create} main.{rel.name} as select * from work.{rel.source}")
    if rel.description:
        con.execute(f"comment on table main.{rel.name} is '{rel.description.replace(chr(39), '')}'")
    return con.execute(f"select count(*) from main.{rel.name}").fetchone()[0]


def assemble_public_file(
    paths: Paths,
    run_id: str,
    *,
    relations: tuple[PublicRelation, ...] | None = None,
    manifest: dict | None = None,
    post_assemble: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    progress: Progress | None = None,
) -> AssembleResult:
    """Build the public file from the work file. Only the public relations are copied, as tables: ``relations``,
    by default the publish contract in the dbt manifest of ``paths.dbt_target`` (:mod:`fhub.dbt.contract`)."""
    staging = paths.staging_publish_db
    staging.parent.mkdir(parents=True, exist_ok=True)
    remove_file_and_wal(staging)
    result = AssembleResult(staging_file=staging)
    relations = public_relations(paths.dbt_target) if relations is None else relations
    con = duckdb.connect(str(staging))
    try:
        con.execute(f"attach '{paths.work_db}' as work (read_only)")
        for rel in relations:
            if not _relation_exists(con, "work", rel.source):
                if rel.required:
                    raise PublishRefused(
                        f"Required relation {rel.source} is missing from the work file; nothing published."
                    )
                result.skipped.append(rel.name)
                continue
            result.tables[rel.name] = copy_relation(con, rel)
            if progress:
                progress(f"publish: assembled {rel.name} ({result.tables[rel.name]} rows)")
        con.execute("detach work")
        if post_assemble is not None:
            post_assemble(con)
            for name in list(result.tables):
                result.tables[name] = con.execute(f"select count(*) from main.{name}").fetchone()[0]
        if manifest is not None:
            write_run_manifest(con, run_id, manifest)
        con.execute("checkpoint")
    finally:
        con.close()
    if staging.with_name(staging.name + ".wal").exists():
        raise PublishRefused(f"{staging}.wal still exists after checkpoint; refusing to publish.")
    return result


def write_run_manifest(con: duckdb.DuckDBPyConnection, run_id: str, manifest: dict) -> None:
    con.execute(
        "create or replace table main.run_manifest as select ? as run_id, ? as manifest_json",
        [run_id, json.dumps(manifest, default=str)],
    )


def audit_public_file(staging: Path, required: tuple[str, ...] = ()) -> list[str]:
    """Return a list of problems (empty = fit to publish). Opens the file read-only. ``required``: relations
    that must be present and non-empty (the contract's ``non_empty``)."""
    problems: list[str] = []
    con = duckdb.connect(str(staging), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()]
        for name in required:
            if name not in tables:
                problems.append(f"required relation {name} is missing")
            elif con.execute(f"select count(*) from main.{name}").fetchone()[0] == 0:
                problems.append(f"required relation {name} is empty")
        for name in tables:
            try:
                con.execute(f"select * from main.{name} limit 0")
            except duckdb.Error as exc:  # pragma: no cover - defensive
                problems.append(f"relation {name} does not bind: {exc}")
        problems.extend(scan_for_identifiers(con))
    finally:
        con.close()
    return problems


def scan_for_identifiers(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    """Identifier-like substrings left in any text cell, described by location, kind and masked shape (the
    privacy gate redacts them before this final check, so anything here refuses the publish)."""
    from fhub.privacy.scan_duckdb import scan_catalog

    return [f"identifier-like text left after redaction: {f.describe()}"
            for f in scan_catalog(con, artefact="public file", catalog=catalog)]


def privacy_gate(staging: Path, run_id: str, manifest: dict, withhold=None) -> tuple[list, int, dict]:
    """Run the privacy gate on the assembled file (:func:`fhub.privacy.gate.gate_public_file`) and rewrite its
    run manifest with the outcome. Returns (findings, cells redacted, the manifest's ``privacy_audit``)."""
    from fhub.privacy.gate import gate_public_file

    con = duckdb.connect(str(staging))
    try:
        findings, redacted = gate_public_file(con, withhold)
        withheld = con.execute("select distinct borough_code, extract_type, period from main.privacy_audit "
                               "where action like '%withheld' order by all").fetchall()
        section = {"findings": [f.describe() for f in findings], "cells_redacted": redacted,
                   "scopes_withheld": [" ".join(x or "all" for x in row) for row in withheld]}
        write_run_manifest(con, run_id, {**manifest, "privacy_audit": section})
        con.execute("checkpoint")
    finally:
        con.close()
    return findings, redacted, section


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_into_place(staging: Path, published: Path) -> None:
    """Copy to a temp name beside the published file, fsync, keep ``.prev``, ``os.replace``, fsync dir."""
    published.parent.mkdir(parents=True, exist_ok=True)
    wal = published.with_name(published.name + ".wal")
    if wal.exists():
        raise PublishRefused(
            f"{wal} exists: something opened the published file read-write. A stale WAL would be replayed "
            "into the new file. Investigate, remove the WAL, then publish again."
        )
    if staging.with_name(staging.name + ".wal").exists():
        raise PublishRefused(f"{staging}.wal exists: the staging file was not checkpointed.")
    incoming = published.with_name("." + published.name + ".incoming")
    with contextlib.suppress(FileNotFoundError):
        incoming.unlink()
    shutil.copyfile(staging, incoming)
    with open(incoming, "rb+") as fh:
        os.fsync(fh.fileno())
    from fhub import faults

    faults.point("publish.copied")
    if published.exists():
        prev = published.with_name(published.name + ".prev")
        with contextlib.suppress(FileNotFoundError):
            prev.unlink()
        os.link(published, prev)
    os.replace(incoming, published)
    _fsync_dir(published.parent)


def write_exports(staging: Path, exports_root: Path, run_id: str, tables: list[str], *,
                  dbt_target: Path | None = None, code_version: str = "") -> Path:
    """Every public table as CSV + ``.meta.csv`` (Explore Education Statistics conventions, checked) and Parquet
    (column descriptions in its metadata), a workbook per borough and the data dictionary, into the hidden
    ``exports/.<run_id>.building/`` (:mod:`fhub.exports`). Nothing an analyst opens changes here: the folder
    gets its name and ``exports/current`` moves only once the published file is swapped in
    (:func:`release_exports`), so a run killed or refused in between leaves the exports and the published file
    of the same night. Building folders left by such runs are removed first.

    CSV and workbook text cells that begin with ``= + - @`` are prefixed with an apostrophe so spreadsheet
    programs do not execute them (Parquet keeps the data as it is).
    """
    from fhub.exports import write_export_files

    exports_root.mkdir(parents=True, exist_ok=True)
    for stale in exports_root.glob(".*.building"):
        shutil.rmtree(stale, ignore_errors=True)
    building = _building(exports_root, run_id)
    building.mkdir(parents=True)
    try:
        write_export_files(staging, building, run_id, tables, dbt_target=dbt_target, code_version=code_version)
    except Exception as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise PublishRefused(f"exports could not be written: {exc}") from exc
    return building


def _building(exports_root: Path, run_id: str) -> Path:
    return exports_root / f".{run_id}.building"


def discard_exports(exports_root: Path, run_id: str) -> None:
    """Remove a run's unpublished exports (its publish was refused after they were written)."""
    shutil.rmtree(_building(exports_root, run_id), ignore_errors=True)


def release_exports(exports_root: Path, run_id: str, keep: int = 3) -> Path:
    """After the swap: name the run's exports ``exports/<run_id>/``, point ``exports/current`` at them
    (an atomic symlink replace) and keep the newest ``keep`` runs' exports."""
    target = exports_root / run_id
    shutil.rmtree(target, ignore_errors=True)
    os.replace(_building(exports_root, run_id), target)
    link_tmp = exports_root / ".current.tmp"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(run_id, link_tmp)
    os.replace(link_tmp, exports_root / "current")
    _fsync_dir(exports_root)
    runs = sorted(
        (
            p
            for p in exports_root.iterdir()
            if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
        ),
        key=lambda p: p.stat().st_mtime,
    )
    for old in runs[:-keep]:
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


def write_manifest(manifests_dir: Path, run_id: str, manifest: dict) -> Path:
    manifests_dir.mkdir(parents=True, exist_ok=True)
    path = manifests_dir / f"{run_id}.json"
    tmp = manifests_dir / f".{run_id}.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, default=str))
    os.replace(tmp, path)
    latest_tmp = manifests_dir / ".latest.json.tmp"
    latest_tmp.write_text(json.dumps(manifest, indent=2, default=str))
    os.replace(latest_tmp, manifests_dir / "latest.json")
    return path


@dataclass
class PublishResult:
    published: Path
    tables: dict[str, int]
    exports: Path
    manifest: Path
    skipped: list[str]
    privacy_findings: list = field(default_factory=list)


def publish(
    paths: Paths,
    run_id: str,
    *,
    manifest: dict,
    post_assemble: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    relations: tuple[PublicRelation, ...] | None = None,
    progress: Progress | None = None,
    withhold=None,
    candidate_ready: Callable[[Path], dict[str, int]] | None = None,
) -> PublishResult:
    """Assemble, privacy gate, audit, swap, export, write the manifest. Raises :class:`PublishRefused` on any
    problem, leaving the published file as it was. ``withhold(con, [(scope, reason)])`` withholds the scopes
    the privacy gate attributes findings to (without it, findings are only redacted). ``candidate_ready(file)``
    runs on the assembled candidate before the gate and returns relations it refreshed in it (rows each): the
    nightly records the candidate for ``dq_revisions`` and builds the DQ marts there (fhub/release/revisions.py)."""
    from fhub import faults
    from fhub.privacy.gate import scrub_structure

    say = progress or (lambda _m: None)
    relations = public_relations(paths.dbt_target) if relations is None else relations
    from fhub.release.inputs import manifest_inputs

    manifest = {**manifest, "inputs": manifest_inputs(paths.work_db, manifest.get("code_version"))}
    manifest, scrubbed = scrub_structure(manifest)
    assembled = assemble_public_file(
        paths, run_id, relations=relations, manifest=manifest, post_assemble=post_assemble, progress=progress
    )
    if candidate_ready is not None:
        assembled.tables.update(candidate_ready(assembled.staging_file))
    findings, redacted, section = privacy_gate(assembled.staging_file, run_id, manifest, withhold)
    section["manifest_strings_scrubbed"] = scrubbed
    manifest = {**manifest, "privacy_audit": section}
    assembled.tables["privacy_audit"] = len(findings)
    if findings:
        say(f"publish: privacy audit redacted {redacted} cell(s) ({len(findings)} finding(s); "
            f"{len(section['scopes_withheld'])} scope(s) withheld) - see privacy_audit")
    problems = audit_public_file(assembled.staging_file, tuple(r.name for r in relations if r.non_empty))
    if problems:
        raise PublishRefused("Audit of the public file failed: " + "; ".join(problems))
    say(f"publish: audit passed ({len(assembled.tables)} relations)")
    faults.point("publish.assembled")
    write_exports(assembled.staging_file, paths.exports, run_id, sorted(assembled.tables),
                  dbt_target=paths.dbt_target, code_version=str(manifest.get("code_version") or ""))
    try:
        swap_into_place(assembled.staging_file, paths.published_db)
    except BaseException:
        discard_exports(paths.exports, run_id)
        raise
    say(f"publish: {paths.published_db} replaced atomically")
    exports = release_exports(paths.exports, run_id)
    say(f"publish: exports written to {exports}")
    manifest = {**manifest, "published": {"file": str(paths.published_db), "tables": assembled.tables}}
    manifest_path = write_manifest(paths.manifests, run_id, manifest)
    remove_file_and_wal(assembled.staging_file)
    return PublishResult(paths.published_db, assembled.tables, exports, manifest_path, assembled.skipped, findings)
