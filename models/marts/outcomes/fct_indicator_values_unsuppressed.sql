{#- INTERNAL (work file only, never published): one row per metric × geography × period × breakdown with
    unsuppressed numerators, denominators and values, plus the helper columns disclosure control needs. The
    public relation is fct_indicator_values. The DfE-published metrics
    (*_dfe_published, is_published_statistic) carry the published figures unchanged. Every row says what its
    number is: its source (publisher and release, or 'Borough records'), the decimal places the source gives,
    whether it is provisional, whether it mixes precisions, whether the series breaks there, and which
    London, England and statistical-neighbour figures it was compared with. -#}
with

benchmarked as (
    select * from {{ ref('int_indicator_values_benchmarked') }}
),

metrics as (
    select * from {{ ref('framework_metrics') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

hubs as (
    select * from {{ ref('dim_hubs') }}
),

final as (
    select
        benchmarked.metric_id,
        metrics.metric_name,
        metrics.domain,
        cast(metrics.layer as integer) as layer,
        benchmarked.geography_level,
        benchmarked.geography_code,
        case benchmarked.geography_level
            when 'hub' then coalesce(hubs.hub_name, benchmarked.geography_code)
            when 'borough' then boroughs.borough_name
            when 'region' then 'London'
            when {{ participating_boroughs_level() }}
                then {{ participating_boroughs_name('benchmarked.boroughs_covered') }}
            when 'country' then 'England'
        end as geography_name,
        benchmarked.period,
        benchmarked.breakdown_type,
        benchmarked.breakdown_value,
        benchmarked.numerator,
        benchmarked.denominator,
        benchmarked.value,
        benchmarked.lower_95,
        benchmarked.upper_95,
        benchmarked.lower_998,
        benchmarked.upper_998,
        benchmarked.source,
        benchmarked.source_precision_dp,
        benchmarked.is_provisional,
        benchmarked.is_mixed_precision,
        coalesce(benchmarked.period = metrics.series_break_period, false) as is_series_break,
        round(benchmarked.london_value, 4) as london_value,
        benchmarked.london_benchmark,
        round(benchmarked.england_value, 4) as england_value,
        benchmarked.england_benchmark,
        round(benchmarked.neighbours_value, 4) as neighbours_value,
        benchmarked.neighbours_value_is_mean,
        benchmarked.neighbours_benchmark,
        benchmarked.compared_to_london,
        benchmarked.compared_to_england,
        benchmarked.compared_to_neighbours,
        benchmarked.trend,
        benchmarked.target_value,
        cast(null as varchar) as suppression_symbol,
        'published' as dq_status,
        -- why a row is not 'published' (set with dq_status when the publish withholds it, fhub/dq/withhold.py)
        cast(null as varchar) as dq_reason,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        {{ fhub_run_id() }} as run_id,
        -- internal helpers (not in the public relation)
        coalesce(
            benchmarked.borough_code,
            case when benchmarked.geography_level = 'borough' then benchmarked.geography_code end
        ) as borough_code,
        benchmarked.unit,
        benchmarked.polarity,
        benchmarked.is_published_statistic,
        benchmarked.london_value_source,
        benchmarked.smallest_component_count,
        benchmarked.smallest_component_denominator
    from benchmarked
    inner join metrics
        on benchmarked.metric_id = metrics.metric_id
    left join boroughs
        on benchmarked.geography_level = 'borough' and benchmarked.geography_code = boroughs.borough_code
    left join hubs
        on benchmarked.geography_level = 'hub' and benchmarked.geography_code = hubs.hub_id
)

select * from final
