{#- One row per London borough × framework metric: available (the
    borough's data landed, passed the landing checks and the metric was computed for it), accessible (held
    locally but needs extraction or a sharing agreement) or missing (not collected), always with the reason.
    Available comes from what was computed; accessible and missing come from the borough's declaration
    (seeds/declarations); anything neither computed nor declared is missing with that reason. Coverage % =
    share of the metrics in the same domain × layer cell that are available for the borough. -#}
with

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

metrics as (
    select * from {{ ref('framework_metrics') }}
),

declarations as (
    select * from {{ ref('data_availability_declarations') }}
),

computed as (
    select
        borough_code,
        metric_id,
        count(distinct period) as periods_available,
        min(period) as first_period,
        max(period) as latest_period
    from {{ ref('fct_indicator_values_unsuppressed') }}
    where geography_level = 'borough'
        and (
            denominator > 0
            or (unit = 'count' and numerator is not null)
            or (unit = 'percentage_points' and value is not null)
            or is_published_statistic
        )
    group by all
),

grid as (
    select
        boroughs.borough_code,
        boroughs.borough_name,
        metrics.metric_id,
        metrics.metric_name,
        metrics.domain,
        cast(metrics.layer as integer) as layer,
        metrics.status as metric_status,
        metrics.source_extract,
        metrics.data_needed
    from boroughs
    cross join metrics
),

classified as (
    select
        grid.*,
        computed.periods_available,
        computed.first_period,
        computed.latest_period,
        declarations.declared_on,
        case
            when computed.metric_id is not null then 'available'
            when declarations.availability is not null then declarations.availability
            else 'missing'
        end as availability,
        case
            when computed.metric_id is not null and grid.source_extract = 'int_gld_published'
                then 'Published by DfE (' || grid.source_extract || ') for ' || computed.periods_available
                    || ' period(s), ' || computed.first_period || ' to ' || computed.latest_period
            when computed.metric_id is not null
                then 'Computed from delivered data (' || grid.source_extract || ') for ' || computed.periods_available
                    || ' period(s), ' || computed.first_period || ' to ' || computed.latest_period
            when declarations.availability is not null then declarations.reason
            when grid.source_extract = 'int_gld_published'
                then 'DfE''s published EYFSP files are not loaded (set FHUB_REAL_DATA_DIR to the real-data folder)'
            when grid.metric_status = 'declared'
                then 'Not computed by the mart yet and not declared by the borough; data needed: ' || grid.data_needed
            else 'No ' || grid.source_extract || ' data delivered for this borough yet, and no declaration'
        end as reason
    from grid
    left join computed
        on grid.borough_code = computed.borough_code and grid.metric_id = computed.metric_id
    left join declarations
        on grid.borough_code = declarations.borough_code and grid.metric_id = declarations.metric_id
),

final as (
    select
        borough_code,
        borough_name,
        metric_id,
        metric_name,
        domain,
        layer,
        metric_status,
        availability,
        reason,
        coalesce(periods_available, 0) as periods_available,
        latest_period,
        declared_on,
        count(*) over cell as cell_metrics,
        count(*) filter (where availability = 'available') over cell as cell_metrics_available,
        round(100.0 * count(*) filter (where availability = 'available') over cell / count(*) over cell, 1)
            as cell_coverage_pct,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        {{ fhub_run_id() }} as run_id
    from classified
    window cell as (partition by borough_code, domain, layer)
)

select * from final
