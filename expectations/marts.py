"""Suites over the outcome mart: the publish gate for what analysts will see.

``public_relation`` names the published relation a suite validates; ``{relation}`` in its query is the work
relation the publish contract (dbt: meta.publish, fhub/dbt/contract.py) publishes under that name."""

from fhub.quality.spec import Check, SuiteSpec

INDICATOR_VALUES = SuiteSpec(
    name="indicator_values",
    query="select * from {relation}",
    public_relation="indicator_values",
    index_columns=("metric_id", "geography_code", "period", "breakdown_type", "breakdown_value"),
    checks=(
        Check(
            "ExpectTableRowCountToBeBetween",
            {"min_value": 1},
            dimension="completeness",
            message="The indicator mart is empty.",
            fix="Check that extracts landed and dbt built the marts.",
        ),
        Check(
            "ExpectColumnValuesToNotBeNull",
            {"column": "metric_id"},
            dimension="completeness",
            message="Indicator values without a metric id.",
            fix="Fix the indicator model.",
        ),
        Check(
            "ExpectColumnValuesToBeInSet",
            {"column": "geography_level", "value_set": ["hub", "borough", "participating_boroughs", "region", "country"]},
            dimension="validity",
            message="Unknown geography level.",
            fix="Fix the indicator model.",
        ),
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "denominator", "min_value": 0},
            dimension="validity",
            message="Negative denominators.",
            fix="Fix the indicator model.",
        ),
    ),
)

GLD_PLAUSIBILITY = SuiteSpec(
    name="gld_plausibility",
    query="""
        select geography_code as borough_code, 'eyfsp' as extract_type, period, value, denominator
        from {relation}
        where metric_id = 'eyfs_gld' and geography_level = 'borough' and breakdown_type = 'total'
          and value is not null and denominator >= 30
    """,
    public_relation="indicator_values",
    index_columns=("borough_code", "extract_type", "period"),
    checks=(
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "value", "min_value": 30, "max_value": 95},
            dimension="plausibility",
            severity="withhold_scope",
            scope={"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
            message="A borough's GLD rate is outside 30–95 %, which no London borough has ever published.",
            fix="Check the EYFSP extract: ELG judgement codes mapped wrongly, or a partial file.",
        ),
    ),
)

CONFIDENCE_INTERVALS = SuiteSpec(
    name="indicator_confidence_intervals",
    query="""
        select metric_id, geography_code, period, breakdown_type, breakdown_value,
               case when value is null or lower_95 is null then 0
                    when lower_998 <= lower_95 and lower_95 <= value and value <= upper_95
                         and upper_95 <= upper_998 then 0 else 1 end as ci_out_of_order
        from {relation}
    """,
    public_relation="indicator_values",
    index_columns=("metric_id", "geography_code", "period", "breakdown_type", "breakdown_value"),
    checks=(
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "ci_out_of_order", "min_value": 0, "max_value": 0},
            dimension="consistency",
            message="Confidence limits are not nested around the value (99.8% ⊇ 95% ∋ value).",
            fix="Fix the CI macro or the metric's CI method.",
        ),
    ),
)

SUITES = [INDICATOR_VALUES, GLD_PLAUSIBILITY, CONFIDENCE_INTERVALS]
