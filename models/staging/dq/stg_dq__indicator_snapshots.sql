with

source as (
    select * from {{ source('dq', 'indicator_snapshots') }}
),

renamed as (
    select
        cast(run_id as varchar) as run_id,
        cast(snapshot_at as timestamp) as snapshot_at,
        cast(metric_id as varchar) as metric_id,
        cast(geography_level as varchar) as geography_level,
        cast(geography_code as varchar) as geography_code,
        cast(borough_code as varchar) as borough_code,
        cast(period as varchar) as period,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(breakdown_type as varchar) as breakdown_type,
        cast(breakdown_value as varchar) as breakdown_value,
        lower(cast(source_extract as varchar)) as source_extract,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        cast(suppression_symbol as varchar) as suppression_symbol,
        cast(dq_status as varchar) as dq_status
    from source
)

select * from renamed
