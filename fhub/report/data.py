"""Read the PUBLISHED (suppressed) file, read-only, into plain Python structures for the report.

Defensive by design: relations other than ``indicator_values`` and ``boroughs`` are optional, and optional
columns are looked up by name, so the report builds on a partial publish too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb

from fhub.dq.periods import period_range

LONDON_CODE = "E12000007"
ENGLAND_CODE = "E92000001"
GLD_IDS = ("eyfs_gld", "gld", "eyfsp_gld", "gld_pct", "good_level_of_development")


def period_key(period: str | None) -> tuple:
    try:
        start, end = period_range(period)
    except ValueError:
        return (1, str(period))
    return (0, start.isoformat() if start else "", end.isoformat() if end else "")


@dataclass
class ReportData:
    boroughs: dict[str, str]
    hubs: dict[str, tuple[str, str]]  # hub_id -> (name, borough_code)
    metrics: dict[str, dict]  # metric_id -> {metric_name, domain, layer, polarity, source_extract}
    values: list[dict]  # indicator_values rows, breakdown total only
    availability: list[dict] = field(default_factory=list)
    scorecard: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)  # latest run's non-passing checks
    withholdings: list[dict] = field(default_factory=list)
    tracker: list[dict] = field(default_factory=list)
    revisions: list[dict] = field(default_factory=list)
    run_id: str | None = None
    deliveries: list[dict] | None = None  # None when the published file has no deliveries relation
    manifest: dict = field(default_factory=dict)
    layer_names: dict[str, str] = field(default_factory=dict)
    domain_names: dict[str, str] = field(default_factory=dict)
    tables_present: set[str] = field(default_factory=set)
    #: (borough code, metric, period) -> the borough's DfE statistical-neighbour comparison (``peer_comparisons``,
    #: peer group ``statistical_neighbours``, breakdown total); empty when the file has no such relation
    neighbours: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    #: authorities in ``boroughs`` that are not London boroughs (joined by configuration at national scale):
    #: pages are made for them, but they are not part of "the spread of London boroughs"
    non_london: set[str] = field(default_factory=set)

    @cached_property
    def values_by_code(self) -> dict[str, list[dict]]:
        """``values`` grouped by geography code (original order kept): the pages look values up per borough,
        and scanning every value for every borough × metric grew with boroughs² (minutes at national scale)."""
        out: dict[str, list[dict]] = {}
        for v in self.values:
            out.setdefault(v["geography_code"], []).append(v)
        return out

    @cached_property
    def values_by_metric_period(self) -> dict[tuple[str, str], list[dict]]:
        """``values`` grouped by (metric, period), original order kept."""
        out: dict[tuple[str, str], list[dict]] = {}
        for v in self.values:
            out.setdefault((v["metric_id"], v["period"]), []).append(v)
        return out

    @cached_property
    def area_names(self) -> dict[str, str]:
        """Readable area names by code for every page: the values' geography names, then the boroughs' and the
        hubs' own, London and England by default (built once, not per page: it reads every value)."""
        out = {v["geography_code"]: v.get("geography_name") for v in self.values if v.get("geography_name")}
        out.update({**self.boroughs, **{h: n for h, (n, _) in self.hubs.items()}})
        out.setdefault(LONDON_CODE, "London")
        out.setdefault(ENGLAND_CODE, "England")
        return out

    def layer(self, value: object) -> str:
        return self.layer_names.get(str(value), str(value) if value is not None else "?")

    def domain(self, value: object) -> str:
        return self.domain_names.get(str(value), str(value).title() if value is not None else "?")

    @property
    def gld_metric(self) -> str | None:
        for mid in GLD_IDS:
            if mid in self.metrics or any(key[0] == mid for key in self.values_by_metric_period):
                return mid
        for mid, info in self.metrics.items():
            name = (info.get("metric_name") or "").lower()
            if "good level of development" in name and "gap" not in name and "fsm" not in name:
                return mid
        return None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'main' and table_name = ?",
            [table],
        ).fetchall()
    }


def _statistical_neighbours(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], dict]:
    """Each borough value's comparison with its DfE statistical neighbours (total breakdown only)."""
    cols = _columns(con, "peer_comparisons")
    if not {"borough_code", "metric_id", "period", "peer_group_id", "benchmark_value"} <= cols:
        return {}
    total = "and coalesce(breakdown_type, 'total') = 'total'" if "breakdown_type" in cols else ""
    rows = _rows(con, f"select * from peer_comparisons where peer_group_id = 'statistical_neighbours' {total}")  # noqa: S608
    return {(r["borough_code"], r["metric_id"], r["period"]): r for r in rows}


def load(published_db: Path) -> ReportData:
    published_db = Path(published_db)
    if not published_db.exists():
        raise FileNotFoundError(f"Published file {published_db} does not exist: run the pipeline (or publish) first.")
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
        if "indicator_values" not in tables:
            raise ValueError(f"{published_db} has no indicator_values relation; it is not a published file.")
        boroughs: dict[str, str] = {}
        if "boroughs" in tables and {"borough_code", "borough_name"} <= _columns(con, "boroughs"):
            boroughs = dict(con.execute("select borough_code, borough_name from boroughs").fetchall())
        iv_cols = _columns(con, "indicator_values")
        where = "where coalesce(breakdown_type, 'total') = 'total'" if "breakdown_type" in iv_cols else ""
        values = _rows(con, f"select * from indicator_values {where}")  # noqa: S608
        for code, name in {(v["geography_code"], v.get("geography_name")) for v in values
                           if v.get("geography_level") == "borough"}:
            boroughs.setdefault(code, name or code)
        hubs: dict[str, tuple[str, str]] = {}
        if "hubs" in tables and {"hub_id", "borough_code"} <= _columns(con, "hubs"):
            hub_cols = _columns(con, "hubs")
            name_col = "hub_name" if "hub_name" in hub_cols else "hub_id"
            # outreach/virtual pseudo-hubs are not places: keep them out of the funnel plot
            sites = "where coalesce(is_hub_site, true)" if "is_hub_site" in hub_cols else ""
            hubs = {r[0]: (r[1], r[2]) for r in con.execute(
                f"select hub_id, {name_col}, borough_code from hubs {sites}").fetchall()}  # noqa: S608
        metrics: dict[str, dict] = {}
        if "framework_metrics" in tables:
            for r in _rows(con, "select * from framework_metrics"):
                metrics.setdefault(r["metric_id"], r)
        for v in values:  # metrics known only from values
            metrics.setdefault(v["metric_id"], {"metric_id": v["metric_id"], "metric_name": v.get("metric_name"),
                                                "domain": v.get("domain"), "layer": v.get("layer")})
            info = metrics[v["metric_id"]]
            info.setdefault("domain", v.get("domain"))
            info.setdefault("layer", v.get("layer"))
            if not info.get("metric_name"):
                info["metric_name"] = v.get("metric_name") or v["metric_id"]
        data = ReportData(boroughs=boroughs, hubs=hubs, metrics=metrics, values=values, tables_present=tables)
        if "boroughs" in tables and "is_london" in _columns(con, "boroughs"):
            data.non_london = {r[0] for r in con.execute(
                "select borough_code from boroughs where not coalesce(is_london, true)").fetchall()}
        if "framework_layers" in tables and {"layer", "layer_name"} <= _columns(con, "framework_layers"):
            data.layer_names = {str(k): v for k, v in con.execute(
                "select layer, layer_name from framework_layers").fetchall()}
        if "framework_domains" in tables and {"domain", "domain_name"} <= _columns(con, "framework_domains"):
            data.domain_names = {str(k): v for k, v in con.execute(
                "select domain, domain_name from framework_domains").fetchall()}
        if "data_availability" in tables:
            data.availability = _rows(con, "select * from data_availability")
        if "dq_scorecard" in tables:
            data.scorecard = _rows(con, "select * from dq_scorecard")
        if "dq_check_results" in tables:
            cols = _columns(con, "dq_check_results")
            order = "checked_at desc" if "checked_at" in cols else "run_id desc"
            latest = con.execute(f"select run_id from dq_check_results order by {order} limit 1").fetchone()  # noqa: S608
            if latest:
                data.checks = _rows(con, "select * from dq_check_results where run_id = ? and status <> 'pass'",
                                    [latest[0]])
        if "dq_withholdings" in tables:
            data.withholdings = _rows(con, "select * from dq_withholdings")
        if "gld_target_tracker" in tables:
            data.tracker = _rows(con, "select * from gld_target_tracker")
        if "deliveries" in tables and {"borough_code", "extract_type", "status"} <= _columns(con, "deliveries"):
            data.deliveries = _rows(con, "select borough_code, extract_type, period, status from deliveries")
        if "peer_comparisons" in tables:
            data.neighbours = _statistical_neighbours(con)
        if "dq_revisions" in tables:
            data.revisions = _rows(con, "select * from dq_revisions")
        if "run_manifest" in tables:
            row = con.execute("select run_id from run_manifest limit 1").fetchone()
            data.run_id = row[0] if row else None
        if data.run_id is None and values and "run_id" in iv_cols:
            data.run_id = values[0].get("run_id")
        return data
    finally:
        con.close()
