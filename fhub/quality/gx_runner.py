"""Run the suites in ``expectations/`` as one GX Core 1.x checkpoint over the work DuckDB file.

Each suite's query runs ONCE in DuckDB (:func:`snapshot_suite_inputs`): its result is written to a table of the
same name in ``work/gx_inputs.duckdb`` and GX validates that table. A GX query asset would re-run the query
for every metric it computes (the raw key check over every raw row ran four times: 18 s of a 25 s
validation at London scale). The snapshot file stays beside the work file, so the ``publish_gate``
checkpoint can be re-run by hand on exactly what the night validated.

GX's SQL datasource on DuckDB fails every metric as shipped (it closes the pooled connection before fetching
rows). :func:`enable_duckdb_sql_workaround` makes GX keep one persisted connection, as it does for SQLite;
:func:`dispose_duckdb_engines` releases that connection afterwards so the file can be published.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.dbt.contract import PublicRelation, public_relations
from fhub.dq.samples import sample_of_rows
from fhub.quality.spec import SuiteSpec
from fhub.settings import Paths, apply_offline_env

Progress = Callable[[str], None]
#: Row number column of every suite's input table (work/gx_inputs.duckdb): failing rows are sampled by it.
GX_ROW = "gx_row"


@dataclass
class GxOutcome:
    success: bool
    results: list[dict] = field(default_factory=list)  # one per expectation, plain data
    skipped_suites: list[str] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def blocking_failures(self) -> list[dict]:
        return [r for r in self.results if not r["success"] and r["severity"] == "blocking_all"]

    @property
    def scoped_failures(self) -> list[dict]:
        return [r for r in self.results if not r["success"] and r["severity"] == "withhold_scope"]

    def dq_rows(self) -> list[dict]:
        """Plain rows for :func:`fhub.dq.record_gx_results`: a scoped failure becomes one row per failing
        borough × extract × period (so only that scope is withheld); everything else one row each."""
        rows: list[dict] = []
        for r in self.results:
            base = {
                "expectation_type": r["expectation"],
                "suite": r["suite"],
                "table": r["suite"],
                "column": r["column"],
                "success": r["success"],
                "observed_value": r["observed_value"],
                "unexpected_count": r["unexpected_count"],
                "exception": r["exception"],
            }
            meta = {k: r[k] for k in ("dimension", "severity", "message", "fix")}
            meta["check_name"] = f"{r['suite']}: {r['expectation']}({r['column'] or 'table'})"
            scope = r.get("scope") or {}
            if r["success"] or r["severity"] != "withhold_scope" or not r["failing_rows"]:
                rows.append({**base, "meta": meta, "failing_sample": sample_of_rows(r["failing_rows"] or [])})
                continue
            groups: dict[tuple, list[dict]] = {}
            for row in r["failing_rows"]:
                key = tuple(
                    row.get(scope.get(k, k), scope.get(k)) for k in ("borough_code", "extract_type", "period")
                )
                groups.setdefault(key, []).append(row)
            for (borough, extract, period), failing in groups.items():
                rows.append(
                    {
                        **base,
                        "unexpected_count": len(failing),
                        "failing_sample": sample_of_rows(failing),
                        "meta": {**meta, "borough_code": borough, "extract_type": extract, "period": period},
                    }
                )
        return rows

    def summary(self) -> str:
        failed = [r for r in self.results if not r["success"]]
        return (
            f"GX: {len(self.results) - len(failed)}/{len(self.results)} expectations passed; "
            f"{len(self.blocking_failures)} blocking, {len(self.scoped_failures)} scoped failures"
        )


def enable_duckdb_sql_workaround() -> None:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see

    class _Dialect(str):
        @property
        def value(self) -> str:
            return str(self)

    if not any(str(d) == "duckdb" for d in see._PERSISTED_CONNECTION_DIALECTS):
        see._PERSISTED_CONNECTION_DIALECTS = (*see._PERSISTED_CONNECTION_DIALECTS, _Dialect("duckdb"))


def dispose_duckdb_engines() -> None:
    """Dispose every SQLAlchemy engine GX created, closing its DuckDB connection."""
    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        try:
            if isinstance(obj, Engine) and obj.dialect.name == "duckdb":
                obj.dispose()
        except Exception:  # noqa: BLE001, S112 - objects mid-teardown
            continue
    gc.collect()


def load_suites() -> list[SuiteSpec]:
    """Every suite of the ``expectations`` package (shipped in the wheel beside ``fhub``)."""
    from expectations import marts, raw_landing

    return [*raw_landing.SUITES, *marts.SUITES]


def snapshot_suite_inputs(work_db: Path, inputs_db: Path, suites: list[SuiteSpec]) -> None:
    """Run each suite's query once against the work file (attached read-only under its own name, so the
    views' catalog references resolve) and store the result as table ``main.<suite name>`` of a fresh
    ``inputs_db``."""
    from fhub.landing.sqlkit import ident, lit
    from fhub.settings import duckdb_memory_limit

    inputs_db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (inputs_db, inputs_db.with_name(inputs_db.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(inputs_db))
    try:
        con.execute(f"set memory_limit = '{duckdb_memory_limit()}'")
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {lit(str(work_db))} as {ident(work_db.stem)} (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        con.execute(f"use {ident(work_db.stem)}")
        for spec in suites:
            # gx_row numbers the rows, so a failing row can be named in dq.check_results.failing_sample
            con.execute(f"create table {ident(catalog)}.main.{ident(spec.name)} as "
                        f"select row_number() over () as {GX_ROW}, * from ({spec.query}) as suite_input")
        con.execute(f"use {ident(catalog)}")
        con.execute(f"detach {ident(work_db.stem)}")
        con.execute("checkpoint")
    finally:
        con.close()


def _existing_relations(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def _data_docs_site(docs_dir: Path) -> dict:
    return {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }


def _plain_result(suite: SuiteSpec, check_meta: dict, er) -> dict:
    res = er.result or {}
    failing = res.get("unexpected_index_list") or []
    return {
        "suite": suite.name,
        "expectation": er.expectation_config.type,
        "column": er.expectation_config.kwargs.get("column"),
        "success": bool(er.success),
        "observed_value": res.get("observed_value"),
        "unexpected_count": res.get("unexpected_count"),
        "failing_rows": [
            {k: (str(v) if v is not None else None) for k, v in row.items()} for row in failing[:50]
        ],
        "dimension": check_meta.get("dimension"),
        "severity": check_meta.get("severity"),
        "scope": check_meta.get("scope") or {},
        "message": check_meta.get("message"),
        "fix": check_meta.get("fix"),
        "exception": (er.exception_info or {}).get("exception_message") if er.exception_info else None,
    }


def run_checkpoint(
    paths: Paths,
    *,
    suites: list[SuiteSpec] | None = None,
    relations: tuple[PublicRelation, ...] | None = None,
    build_docs: bool = True,
    progress: Progress | None = None,
) -> GxOutcome:
    """Validate the work file with every suite; returns plain results and releases the file."""
    apply_offline_env()
    say = progress or (lambda _m: None)
    suites = suites if suites is not None else load_suites()
    if any(s.public_relation for s in suites):  # suites over published relations: the contract says which
        contract = relations if relations is not None else public_relations(paths.dbt_target)
        suites = [s.bind({r.name: r.source for r in contract}) for s in suites]
    present = _existing_relations(paths.work_db)
    runnable = [s for s in suites if all(r in present for r in s.requires)]
    outcome = GxOutcome(success=True, skipped_suites=[s.name for s in suites if s not in runnable])
    for name in outcome.skipped_suites:
        say(f"validate: suite {name} skipped (its relations are not in the work file)")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        import great_expectations.expectations as gxe
        from great_expectations.data_context.types.base import ProgressBarsConfig

        enable_duckdb_sql_workaround()
        try:
            context = gx.get_context(mode="file", project_root_dir=str(paths.gx_dir))
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            site_names: list[str] = []
            if build_docs:
                paths.gx_docs.mkdir(parents=True, exist_ok=True)
                sites = context.get_config().data_docs_sites or {}
                if "local_site" in sites:
                    context.update_data_docs_site("local_site", _data_docs_site(paths.gx_docs))
                else:
                    context.add_data_docs_site("local_site", _data_docs_site(paths.gx_docs))
                site_names = ["local_site"]
            inputs_db = paths.work_dir / "gx_inputs.duckdb"
            snapshot_suite_inputs(paths.work_db, inputs_db, runnable)
            datasource = context.data_sources.add_or_update_sql(
                "work_warehouse",
                connection_string=f"duckdb:///{inputs_db}",
                kwargs={"connect_args": {"read_only": True}},
            )
            for asset_name in list(datasource.get_asset_names()):
                datasource.delete_asset(asset_name)
            validation_definitions = []
            metas: dict[str, list[dict]] = {}
            for spec in runnable:
                asset = datasource.add_table_asset(spec.name, table_name=spec.name, schema_name="main")
                batch = asset.add_batch_definition_whole_table("whole")
                suite = context.suites.add_or_update(gx.ExpectationSuite(name=spec.name))
                for expectation in list(suite.expectations):
                    suite.delete_expectation(expectation)
                metas[spec.name] = []
                for check in spec.checks:
                    meta = {
                        "dimension": check.dimension,
                        "severity": check.severity,
                        "scope": check.scope,
                        "message": check.message,
                        "fix": check.fix,
                    }
                    suite.add_expectation(getattr(gxe, check.kind)(**check.kwargs, meta=meta))
                    metas[spec.name].append(meta)
                suite.save()
                validation_definitions.append(
                    context.validation_definitions.add_or_update(
                        gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
                    )
                )
            if not validation_definitions:
                say("validate: no suites to run")
                return outcome
            actions = (
                [gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=site_names)]
                if site_names
                else []
            )
            context.checkpoints.add_or_update(  # registered so `publish_gate` can be re-run by hand
                gx.Checkpoint(
                    name="publish_gate",
                    validation_definitions=validation_definitions,
                    actions=actions,
                    result_format={"result_format": "COMPLETE", "unexpected_index_column_names": []},
                )
            )
            by_name = {s.name: s for s in runnable}
            say(f"validate: running {len(validation_definitions)} suites")
            # unexpected_index_column_names differ per suite, so run each validation with its own format
            for vd in validation_definitions:
                spec = by_name[vd.name]
                fmt = {"result_format": "COMPLETE",
                       "unexpected_index_column_names": [*spec.index_columns, GX_ROW]}
                result = vd.run(result_format=fmt)
                passed = sum(1 for er in result.results if er.success)
                say(f"validate: {spec.name}: {passed}/{len(result.results)} expectations passed")
                for er in result.results:
                    meta = er.expectation_config.meta or {}
                    outcome.results.append(_plain_result(spec, meta, er))
            if site_names:
                context.build_data_docs(site_names=site_names)
                outcome.docs_index = paths.gx_docs / "index.html"
        finally:
            dispose_duckdb_engines()
    outcome.success = not outcome.blocking_failures and not outcome.scoped_failures
    say(outcome.summary())
    return outcome
