"""Partial publishing: withhold only the published values that depend on a failing borough × extract × period.

Runs on the PUBLIC file while it is assembled (``assemble_public_file(post_assemble=...)``), after the
relations are copied and before the audit/swap. Rules (docs/reports.md "Withholding"):

* a metric depends on the extracts behind ``framework_metrics.source_extract`` (extract names or the core
  marts they feed, see :mod:`fhub.dq.extracts`). A metric with no recorded source is treated as depending on
  every extract (conservative); one computed only from reference data depends on none;
* an indicator period depends on a delivery period when their date ranges overlap (``fhub.dq.periods``): an
  EYFSP failure for academic year 2023/24 touches the 2023/24 EYFSP values; a contacts failure for 2024-05
  touches 2024/25 Q1, 2024/25 FY and academic year 2023/24 contact-based values;
* geography: the failing borough's own rows, its hubs' rows (via ``hubs.borough_code``), and the rows of the
  same metric × period summed from the boroughs (the participating boroughs' aggregate,
  ``participating_boroughs`` / ``LONDON_PARTICIPATING``; ``region`` rows too), because that figure would
  silently change meaning without the borough. DfE's London and England rows (national statistics) depend
  on no delivery. Other boroughs' rows publish, but their ``london_value`` / ``compared_to_london`` are
  blanked when the aggregate they compare with was withheld.

A withheld row keeps its keys; ``value``, ``numerator``, ``denominator``, the CI columns, comparisons and
trend become null; ``dq_status`` = ``withheld``; ``suppression_symbol`` = ``x`` (GSS: not available); and
``dq_reason`` says which delivery scope failed and why. A table ``dq_withholdings`` (one row per scope) is
written beside it for the report.

The same scopes withhold the matching borough × academic-year rows of ``gld_target_tracker`` (rows computed
from pupil-level data only — real DfE published figures do not depend on deliveries; the projection and verdict
of an affected geography are blanked too) and of ``hub_contribution``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from fhub.dq.decision import PublishDecision
from fhub.dq.extracts import extracts_of
from fhub.dq.periods import period_range
from fhub.dq.schema import columns_of, insert_rows, table_exists

LONDON_CODE = "E12000007"
#: The participating boroughs' aggregate (macros/geography.sql): summed from the boroughs' records.
PARTICIPATING_CODE = "LONDON_PARTICIPATING"
#: Geography levels whose rows are summed from borough rows (``region``: files written before issue 16).
AGGREGATE_LEVELS = ("participating_boroughs", "region")
#: How a withheld aggregate's reason begins: the participating boroughs' total is not London's (issue 16).
_PARTICIPATING_TOTAL = "'The participating boroughs'' total includes '"
#: The extract recorded for a metric computed only from reference data (DfE's published figures).
_REFERENCE_ONLY = "(reference data only)"
_NULLED = (
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "compared_to_london",
    "compared_to_england",
    "compared_to_neighbours",
    "trend",
)


@dataclass
class WithholdingSummary:
    rows_withheld: int = 0
    london_comparisons_blanked: int = 0
    by_scope: dict[str, int] = field(default_factory=dict)
    rows_withheld_elsewhere: dict[str, int] = field(default_factory=dict)  # other public tables


def _range_or_open(period: str | None):
    try:
        return period_range(period)
    except ValueError:
        return (None, None)


def _scope_label(borough: str, extract: str | None, period: str | None, names: dict[str, str]) -> str:
    return f"{names.get(borough, borough)} {extract or 'all extracts'} {period or 'all periods'}"


@dataclass(frozen=True)
class YearTable:
    """A public table keyed by geography × academic year that also carries values from borough deliveries."""

    table: str
    geography: str
    year: str
    extracts: frozenset[str]
    nulled: tuple[str, ...]
    source_column: str | None = None  # rows whose source starts with 'published' are national statistics
    series_columns: tuple[str, ...] = ()  # nulled on every row of an affected geography (projections)
    members_column: str | None = None  # space-separated borough codes a row's benchmark is pooled from
    benchmark_columns: tuple[str, ...] = ()  # nulled where members_column holds a withheld borough


@dataclass(frozen=True)
class WithholdingPlan:
    """Which published tables a withheld scope touches, as the publish contract declares them (dbt model YAML,
    ``meta.publish.withhold``): the indicator table (rule ``by_metric``) with the tables it reads the metrics'
    extracts, the hubs' boroughs and the borough names from, and the academic-year tables (``by_academic_year``)."""

    table: str
    metrics_table: str
    hubs_table: str
    boroughs_table: str
    year_tables: tuple[YearTable, ...] = ()


def withholding_plan(relations, schema: str = "main") -> WithholdingPlan:
    """The plan declared by the public relations of the contract (:func:`fhub.dbt.contract.public_relations`)."""
    by_metric = [r for r in relations if r.withhold.get("rule") == "by_metric"]
    if len(by_metric) != 1:
        raise ValueError(
            f"The publish contract must declare exactly one relation with withhold rule by_metric, not {len(by_metric)}."
        )
    rule = by_metric[0].withhold
    year_tables = tuple(
        YearTable(
            f"{schema}.{r.name}",
            rule_of["geography"],
            rule_of["year"],
            frozenset(rule_of["extracts"]),
            tuple(rule_of["nulled"]),
            source_column=rule_of.get("national_source_column"),
            series_columns=tuple(rule_of.get("series_columns") or ()),
            members_column=rule_of.get("members_column"),
            benchmark_columns=tuple(rule_of.get("benchmark_columns") or ()),
        )
        for r in relations
        if (rule_of := r.withhold).get("rule") == "by_academic_year"
    )
    return WithholdingPlan(
        table=f"{schema}.{by_metric[0].name}",
        metrics_table=f"{schema}.{rule['metrics']}",
        hubs_table=f"{schema}.{rule['hubs']}",
        boroughs_table=f"{schema}.{rule['boroughs']}",
        year_tables=year_tables,
    )


def apply_withholdings(
    public_con: duckdb.DuckDBPyConnection, decision: PublishDecision, plan: WithholdingPlan
) -> WithholdingSummary:
    """Withhold dependent rows of the plan's tables in place; returns counts. A blocked decision is refused."""
    table, metrics_table, hubs_table, boroughs_table = (
        plan.table,
        plan.metrics_table,
        plan.hubs_table,
        plan.boroughs_table,
    )
    if decision.block_all:
        raise ValueError("The decision blocks the whole publish; nothing should be assembled or withheld.")
    schema, name = table.split(".", 1)
    cols = columns_of(public_con, schema, name)
    if not cols:
        raise ValueError(f"{table} does not exist in the public file")
    for col, sql_type in (("dq_status", "varchar"), ("dq_reason", "varchar")):
        if col not in cols:
            public_con.execute(f"alter table {table} add column {col} {sql_type}")
    summary = WithholdingSummary()
    _write_withholdings_table(public_con, schema, [])
    if not decision.withheld_scopes:
        return summary

    names: dict[str, str] = {}
    b_schema, b_name = boroughs_table.split(".", 1)
    if table_exists(public_con, b_schema, b_name) and {"borough_code", "borough_name"} <= set(
        columns_of(public_con, b_schema, b_name)
    ):
        names = dict(public_con.execute(f"select borough_code, borough_name from {boroughs_table}").fetchall())

    scope_rows = []
    for scope in decision.withheld_scopes:
        start, end = _range_or_open(scope.period)
        label = _scope_label(scope.borough_code, scope.extract_type, scope.period, names)
        reason = f"{label} failed data-quality checks: " + "; ".join(scope.reasons)
        scope_rows.append((label, scope.borough_code, scope.extract_type, start, end, reason))
    public_con.execute(
        "create or replace temp table _wh_scopes (label varchar, borough_code varchar, extract_type varchar, "
        "p_start date, p_end date, reason varchar)"
    )
    insert_rows(public_con, "_wh_scopes", ["label", "borough_code", "extract_type", "p_start", "p_end", "reason"], scope_rows)

    periods = [r[0] for r in public_con.execute(f"select distinct period from {table}").fetchall()]
    public_con.execute("create or replace temp table _wh_periods (period varchar, p_start date, p_end date)")
    insert_rows(public_con, "_wh_periods", ["period", "p_start", "p_end"], [(p, *_range_or_open(p)) for p in periods])

    public_con.execute("create or replace temp table _wh_metric_extracts (metric_id varchar, extract_type varchar)")
    m_schema, m_name = metrics_table.split(".", 1)
    if table_exists(public_con, m_schema, m_name) and {"metric_id", "source_extract"} <= set(
        columns_of(public_con, m_schema, m_name)
    ):
        pairs = []
        for metric_id, source in public_con.execute(
            f"select metric_id, source_extract from {metrics_table}"
        ).fetchall():
            extracts = extracts_of(source)
            if extracts is None:
                continue  # unknown source: conservatively depends on every extract
            # reference-only metrics get a sentinel row so they are known to depend on no delivery
            pairs.extend((metric_id, e) for e in (extracts or (_REFERENCE_ONLY,)))
        insert_rows(public_con, "_wh_metric_extracts", ["metric_id", "extract_type"], pairs)

    public_con.execute("create or replace temp table _wh_hub_borough (hub_id varchar, borough_code varchar)")
    h_schema, h_name = hubs_table.split(".", 1)
    if table_exists(public_con, h_schema, h_name) and {"hub_id", "borough_code"} <= set(
        columns_of(public_con, h_schema, h_name)
    ):
        public_con.execute(f"insert into _wh_hub_borough select hub_id, borough_code from {hubs_table}")

    public_con.execute(
        f"""
        create or replace temp table _wh_hits as
        select iv.rowid as rid, s.label, iv.geography_level,
               case when iv.geography_level = 'region' then 'London total includes ' || s.reason
                    when iv.geography_level in {AGGREGATE_LEVELS} then {_PARTICIPATING_TOTAL} || s.reason
                    else s.reason end as reason
        from {table} iv
        join _wh_periods p on p.period = iv.period
        join _wh_scopes s
          on (s.p_start is null or p.p_end is null or p.p_end > s.p_start)
         and (s.p_end is null or p.p_start is null or s.p_end > p.p_start)
         and not exists (select 1 from _wh_metric_extracts me  -- DfE's published figures depend on no delivery
                         where me.metric_id = iv.metric_id and me.extract_type = '{_REFERENCE_ONLY}')
         and (
              s.extract_type is null
              or not exists (select 1 from _wh_metric_extracts me where me.metric_id = iv.metric_id)
              or exists (select 1 from _wh_metric_extracts me
                         where me.metric_id = iv.metric_id and me.extract_type = lower(s.extract_type))
         )
        left join _wh_hub_borough h on iv.geography_level = 'hub' and h.hub_id = iv.geography_code
        where (iv.geography_level = 'borough' and iv.geography_code = s.borough_code)
           or (iv.geography_level = 'hub' and h.borough_code = s.borough_code)
           or (iv.geography_level in {AGGREGATE_LEVELS})
        """
    )
    sets = ["dq_status = 'withheld'", "dq_reason = r.reason"]
    sets += [f"{c} = null" for c in _NULLED if c in cols]
    if "suppression_symbol" in cols:
        sets.append("suppression_symbol = 'x'")
    public_con.execute(
        f"""
        update {table} t set {', '.join(sets)}
        from (select rid, string_agg(distinct reason, ' | ' order by reason) as reason
              from _wh_hits group by rid) r
        where t.rowid = r.rid
        """
    )
    summary.rows_withheld = public_con.execute("select count(distinct rid) from _wh_hits").fetchone()[0]
    summary.by_scope = dict(
        public_con.execute("select label, count(distinct rid) from _wh_hits group by label").fetchall()
    )
    for label, *_ in scope_rows:
        summary.by_scope.setdefault(label, 0)

    if {"london_value", "metric_id", "breakdown_type", "breakdown_value"} <= set(cols):
        blank = ["london_value = null"] + [f"{c} = null" for c in ("compared_to_london", "london_benchmark") if c in cols]
        # DfE's published London figure (london_benchmark 'London: <DfE source>') does not include the borough
        dfe_london = "and coalesce(t.london_benchmark, '') not like 'London: %'" if "london_benchmark" in cols else ""
        public_con.execute(
            f"""
            update {table} t set {', '.join(blank)},
                   dq_reason = coalesce(t.dq_reason, 'London comparison withheld: the total it compares with '
                                        || '(the participating boroughs'' records) includes withheld data.')
            from (select distinct metric_id, period, breakdown_type, breakdown_value from {table}
                  where geography_level in {AGGREGATE_LEVELS} and dq_status = 'withheld') w
            where t.metric_id = w.metric_id and t.period = w.period and t.breakdown_type = w.breakdown_type
              and t.breakdown_value = w.breakdown_value and t.dq_status is distinct from 'withheld'
              and t.geography_level <> 'country' {dfe_london}
            """
        )
        summary.london_comparisons_blanked = public_con.execute(
            f"select count(*) from {table} where dq_status is distinct from 'withheld' "
            "and dq_reason like 'London comparison withheld%'"
        ).fetchone()[0]
    for spec in plan.year_tables:
        y_schema, y_name = spec.table.split(".", 1)
        summary.rows_withheld_elsewhere[y_name] = _withhold_year_table(public_con, y_schema, spec, y_name)
    _write_withholdings_table(
        public_con,
        schema,
        [
            (s.borough_code, s.extract_type, s.period, "; ".join(s.reasons), summary.by_scope.get(row[0], 0))
            for s, row in zip(decision.withheld_scopes, scope_rows, strict=True)
        ],
    )
    for temp in ("_wh_scopes", "_wh_periods", "_wh_metric_extracts", "_wh_hub_borough", "_wh_hits"):
        public_con.execute(f"drop table if exists {temp}")
    return summary


def _withhold_year_table(con: duckdb.DuckDBPyConnection, schema: str, spec: YearTable, name: str) -> int:
    """Withhold rows of ``spec.table`` for scopes in ``_wh_scopes`` (borough rows and London rows)."""
    cols = columns_of(con, schema, name)
    if not cols or spec.geography not in cols or spec.year not in cols:
        return 0
    for col in ("dq_status", "dq_reason"):
        if col not in cols:
            con.execute(f"alter table {schema}.{name} add column {col} varchar")
    years = [r[0] for r in con.execute(f"select distinct {spec.year} from {schema}.{name}").fetchall()]
    con.execute("create or replace temp table _wh_years (period varchar, p_start date, p_end date)")
    insert_rows(con, "_wh_years", ["period", "p_start", "p_end"], [(y, *_range_or_open(y)) for y in years])
    extracts = ", ".join(f"'{e}'" for e in sorted(spec.extracts))
    aggregates = (LONDON_CODE, PARTICIPATING_CODE)
    national = (
        f"and coalesce(t.{spec.source_column}, '') not like 'published%'" if spec.source_column in cols else ""
    )
    con.execute(
        f"""
        create or replace temp table _wh_year_hits as
        select t.rowid as rid, t.{spec.geography} as geo,
               string_agg(distinct case when t.{spec.geography} = '{LONDON_CODE}'
                                        then 'London total includes ' || s.reason
                                        when t.{spec.geography} = '{PARTICIPATING_CODE}'
                                        then {_PARTICIPATING_TOTAL} || s.reason else s.reason end,
                          ' | ') as reason
        from {schema}.{name} t
        join _wh_years y on y.period = t.{spec.year}
        join _wh_scopes s
          on (s.extract_type is null or lower(s.extract_type) in ({extracts}))
         and (s.p_start is null or y.p_end is null or y.p_end > s.p_start)
         and (s.p_end is null or y.p_start is null or s.p_end > y.p_start)
         and (t.{spec.geography} = s.borough_code or t.{spec.geography} in {aggregates})
        where true {national}
        group by t.rowid, t.{spec.geography}
        """
    )
    sets = ["dq_status = 'withheld'", "dq_reason = h.reason"] + [f"{c} = null" for c in spec.nulled if c in cols]
    if "suppression_symbol" in cols:
        sets.append("suppression_symbol = 'x'")
    con.execute(
        f"update {schema}.{name} t set {', '.join(sets)} from _wh_year_hits h where t.rowid = h.rid"
    )
    series = [c for c in spec.series_columns if c in cols]
    if series:
        con.execute(
            f"update {schema}.{name} t set {', '.join(f'{c} = null' for c in series)}, "
            "dq_reason = coalesce(t.dq_reason, 'Projection withheld: it uses a withheld year.') "
            f"where t.{spec.geography} in (select geo from _wh_year_hits)"
        )
    members = spec.members_column if spec.members_column in cols else None
    benchmark = [c for c in spec.benchmark_columns if c in cols]
    if members and benchmark:  # a benchmark pooled from a withheld borough's records goes too
        con.execute(
            f"""
            update {schema}.{name} t set {', '.join(f'{c} = null' for c in benchmark)},
                   dq_reason = coalesce(t.dq_reason, 'Benchmark withheld: it includes withheld data.')
            from _wh_years y, _wh_scopes s
            where y.period = t.{spec.year}
              and (s.extract_type is null or lower(s.extract_type) in ({extracts}))
              and (s.p_start is null or y.p_end is null or y.p_end > s.p_start)
              and (s.p_end is null or y.p_start is null or s.p_end > y.p_start)
              and list_contains(string_split(coalesce(t.{members}, ''), ' '), s.borough_code)
            """
        )
    n = con.execute("select count(*) from _wh_year_hits").fetchone()[0]
    con.execute("drop table if exists _wh_years")
    con.execute("drop table if exists _wh_year_hits")
    return n


def _write_withholdings_table(con: duckdb.DuckDBPyConnection, schema: str, rows: list[tuple]) -> None:
    con.execute(
        f"create or replace table {schema}.dq_withholdings (borough_code varchar, extract_type varchar, "
        "period varchar, reasons varchar, rows_withheld bigint)"
    )
    if rows:
        con.executemany(f"insert into {schema}.dq_withholdings values (?, ?, ?, ?, ?)", rows)
