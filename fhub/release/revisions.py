"""Revisions published the night they happen (issue 16, point 6).

``dq_revisions`` compares each published value with the last published one. It used to compare snapshots taken
*after* each publish, so a revision reached the published file one night late. Now the publish step, once it has
assembled tonight's candidate file (withholdings applied) and before the swap:

1. forgets snapshots of nights whose candidate never reached the published file (a refused publish), so
   "previous" always means the last published file;
2. records the candidate's ``indicator_values`` as tonight's snapshot (``dq.indicator_snapshots``);
3. builds the data-quality marts (selector ``data_quality_marts``: tonight's checks, scorecard and revisions);
4. copies the public relations those marts publish into the candidate again (:func:`refresh_relations`).

After the swap the nightly records the snapshot once more from the published file itself (identical unless the
privacy gate withheld a scope on top), so tomorrow compares with exactly what analysts read tonight.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from fhub.dbt.contract import PublicRelation
from fhub.dq.schema import ensure_dq_schema
from fhub.dq.snapshots import record_indicator_snapshot
from fhub.publish import PublishRefused, copy_relation
from fhub.settings import Paths

Progress = Callable[[str], None]


class CandidateRefused(PublishRefused):
    """The data-quality marts could not be built over tonight's candidate: nothing is published."""


def last_published_run(published_db: Path) -> str | None:
    """The run id of the published file (its ``run_manifest``), or None when nothing was published yet."""
    if not Path(published_db).exists():
        return None
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        row = con.execute("select run_id from main.run_manifest limit 1").fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def forget_unpublished_snapshots(con: duckdb.DuckDBPyConnection, run_id: str, published_run: str | None) -> int:
    """Remove snapshots of runs after the last published one (their candidates never reached analysts); returns
    rows removed. Run ids sort by time (fhub.runinfo.new_run_id)."""
    ensure_dq_schema(con)
    where = "run_id <> ?" + ("" if published_run is None else " and run_id > ?")
    params = [run_id] + ([] if published_run is None else [published_run])
    gone = con.execute(f"select count(*) from dq.indicator_snapshots where {where}", params).fetchone()[0]  # noqa: S608
    if gone:
        con.execute(f"delete from dq.indicator_snapshots where {where}", params)  # noqa: S608
    return gone


def record_candidate_snapshot(paths: Paths, run_id: str, candidate: Path) -> int:
    """Steps 1 and 2: tonight's candidate becomes the snapshot the revisions compare with the last published."""
    published_run = last_published_run(paths.published_db)
    con = duckdb.connect(str(paths.work_db))
    try:
        forget_unpublished_snapshots(con, run_id, published_run)
        return record_indicator_snapshot(con, run_id, candidate)
    finally:
        con.close()


def built_models(target_dir: Path) -> set[str]:
    """Names of the models the last dbt invocation built successfully (its run_results.json)."""
    results = json.loads((Path(target_dir) / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"].split(".")[-1] for r in results.get("results", [])
            if r.get("unique_id", "").startswith("model.") and r.get("status") == "success"}


def refresh_relations(candidate: Path, work_db: Path, relations: Iterable[PublicRelation]) -> dict[str, int]:
    """Step 4: copy ``relations`` from the work file into the candidate again; returns rows per relation."""
    rows: dict[str, int] = {}
    con = duckdb.connect(str(candidate))
    try:
        con.execute(f"attach '{work_db}' as work (read_only)")
        for rel in relations:
            rows[rel.name] = copy_relation(con, rel, replace=True)
        con.execute("detach work")
        con.execute("checkpoint")
    finally:
        con.close()
    return rows


def data_quality_over_candidate(paths: Paths, run_id: str, relations: Iterable[PublicRelation],
                                progress: Progress | None = None) -> Callable[[Path], dict[str, int]]:
    """The publish step's ``candidate_ready`` hook: steps 1-4 for the candidate file it is given, and the
    ``published_history`` relation (fhub/release/history.py) from the snapshots including tonight's."""
    from fhub.dbt.builds import build_dq_marts
    from fhub.release.cycles import load_calendar
    from fhub.release.history import NAME as HISTORY
    from fhub.release.history import write_published_history

    say = progress or (lambda _m: None)
    relations = tuple(relations)

    def candidate_ready(candidate: Path) -> dict[str, int]:
        snapped = record_candidate_snapshot(paths, run_id, candidate)
        say(f"publish: tonight's candidate recorded for revisions ({snapped} values)")
        history = write_published_history(candidate, paths.work_db, load_calendar(project_dir=paths.project))
        say(f"publish: published_history written ({history} rows)")
        outcome = build_dq_marts(paths, run_id, progress=progress and (lambda m: progress("dbt (dq): " + m)))
        if not outcome.success:
            raise CandidateRefused("dbt build of the data-quality marts failed: " + outcome.summary())
        models = built_models(paths.dbt_target)
        refreshed = refresh_relations(candidate, paths.work_db, [r for r in relations if r.model in models])
        return {**refreshed, HISTORY: history}

    return candidate_ready
