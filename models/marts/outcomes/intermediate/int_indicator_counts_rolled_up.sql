{#- One row per computed metric × geography (hub, borough, region, country) × period × breakdown: the hub and
    borough counts, London (E12000007) rows summed from the borough numerators and denominators (never an
    average of percentages; London here means the participating boroughs), England (E92000001) rows from
    the published GLD comparators, and the DfE-published metrics (*_dfe_published: the real published figures
    for every London borough, London and England, as published - not summed here). -#}
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

region_counts as (
    select
        local_counts.metric_id,
        'region' as geography_level,
        boroughs.region_code as geography_code,
        cast(null as varchar) as borough_code,
        cast(null as varchar) as hub_id,
        local_counts.period,
        local_counts.breakdown_type,
        local_counts.breakdown_value,
        sum(local_counts.numerator) as numerator,
        sum(local_counts.denominator) as denominator,
        sum(local_counts.sum_of_squares) as sum_of_squares
    from local_counts
    inner join boroughs
        on local_counts.borough_code = boroughs.borough_code
    where local_counts.geography_level = 'borough'
        -- authorities outside London that joined by configuration have no region here
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
        value as reported_value
    from comparators
    where geography_level = 'country'
),

final as (
    select *, cast(null as double) as reported_value, false as is_published_statistic from local_counts
    union all by name
    select *, cast(null as double) as reported_value, false as is_published_statistic from region_counts
    union all by name
    select *, false as is_published_statistic from country_counts
    union all by name
    select * exclude (published_source) from published_metrics
)

select * from final
