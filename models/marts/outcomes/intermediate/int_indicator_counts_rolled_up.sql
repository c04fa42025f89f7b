{#- One row per computed metric × geography (hub, borough, the participating boroughs, England) × period ×
    breakdown: the hub and borough counts from the boroughs' records; the participating boroughs' aggregate
    (geography_level participating_boroughs, code LONDON_PARTICIPATING - not London's code: it is the sum of
    the London boroughs that send records, macros/geography.sql) summed from the borough numerators and
    denominators (never an average of percentages; exact decimal sums); England (E92000001) rows from DfE's
    published figures; and the DfE-published metrics (*_dfe_published: DfE's figures for every London borough,
    London and England, as published - not summed here). Every row names its source, the decimal places the
    source gives and, for the aggregate, how many boroughs it covers. -#}
with

eyfsp as (
    select * from {{ ref('int_eyfsp_indicators_counted') }}
),

hub_activity as (
    select * exclude (_inputs_fingerprint) from {{ ref('int_hub_activity_indicators_counted') }}
),

assessments as (
    select * from {{ ref('int_assessment_indicators_counted') }}
),

comparators as (
    select * from {{ ref('int_gld_comparators_mapped') }}
),

published_metrics as (
    select * from {{ ref('int_published_indicators_mapped') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

local_counts as (
    select * from eyfsp
    union all by name
    select * from hub_activity
    union all by name
    select * from assessments
),

participating_counts as (
    select
        local_counts.metric_id,
        {{ participating_boroughs_level() }} as geography_level,
        {{ participating_boroughs_code() }} as geography_code,
        cast(null as varchar) as borough_code,
        cast(null as varchar) as hub_id,
        local_counts.period,
        local_counts.breakdown_type,
        local_counts.breakdown_value,
        -- exact sums: the same figure whatever order the boroughs are added in (macros/stats/exact.sql)
        {{ fh_exact_sum('local_counts.numerator') }} as numerator,
        {{ fh_exact_sum('local_counts.denominator') }} as denominator,
        {{ fh_exact_sum('local_counts.sum_of_squares') }} as sum_of_squares,
        count(distinct local_counts.borough_code) as boroughs_covered
    from local_counts
    inner join boroughs
        on local_counts.borough_code = boroughs.borough_code
    where local_counts.geography_level = 'borough'
        -- London boroughs only: authorities outside London that joined by configuration have no region
        and boroughs.region_code is not null
    group by all
),

country_counts as (
    select
        metric_id,
        geography_level,
        geography_code,
        cast(null as varchar) as borough_code,
        cast(null as varchar) as hub_id,
        period,
        breakdown_type,
        breakdown_value,
        numerator,
        denominator,
        cast(null as double) as sum_of_squares,
        value as reported_value,
        source_label as source,
        source_precision_dp
    from comparators
    where geography_level = 'country'
),

-- the boroughs' own records: each hub and borough, and the participating boroughs' aggregate
records_counts as (
    select * from local_counts
    union all by name
    select * from participating_counts
),

final as (
    select
        *,
        cast(null as double) as reported_value,
        false as is_published_statistic,
        {{ borough_records_source() }} as source,
        {{ computed_precision_dp() }} as source_precision_dp
    from records_counts
    union all by name
    select *, false as is_published_statistic from country_counts
    union all by name
    select * exclude (published_source) from published_metrics
)

select * from final
