with

source as (
    select * from {{ source('dq', 'delivery_arrivals') }}
),

renamed as (
    select
        cast(delivery_id as varchar) as delivery_id,
        cast(run_id as varchar) as run_id,
        cast(borough_code as varchar) as borough_code,
        cast(extract_type as varchar) as extract_type,
        cast(period as varchar) as period,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(delivery_label as varchar) as delivery_label,
        cast(received_at as timestamp) as received_at,
        cast(loaded_at as timestamp) as loaded_at,
        {{ financial_quarter_of('received_at') }} as cycle,
        cast(status as varchar) as delivery_status,
        cast(rows_delivered as bigint) as rows_delivered,
        cast(rows_landed as bigint) as rows_landed,
        cast(rows_rejected as bigint) as rows_rejected,
        cast(rows_warned as bigint) as rows_warned
    from source
)

select * from renamed
