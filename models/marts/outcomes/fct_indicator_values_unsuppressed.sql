{#- INTERNAL (work file only, never published): one row per metric × geography × period × breakdown with
    unsuppressed numerators, denominators and values, plus the helper columns disclosure control needs. The
    public relation is fct_indicator_values. The DfE-published metrics
    (*_dfe_published, is_published_statistic) carry the published figures unchanged. -#}
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
            when 'region'
                then case when benchmarked.is_published_statistic then 'London'
                        else 'London (participating boroughs)'
                    end
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
        round(benchmarked.london_value, 4) as london_value,
        round(benchmarked.england_value, 4) as england_value,
        benchmarked.compared_to_london,
        benchmarked.compared_to_england,
        benchmarked.trend,
        benchmarked.target_value,
        cast(null as varchar) as suppression_symbol,
        'published' as dq_status,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        '{{ env_var("FHUB_RUN_ID", "dev") }}' as run_id,
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
