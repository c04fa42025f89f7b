with

source as (
    select * from {{ source('landing', 'deliveries') }}
),

renamed as (
    select
        cast(delivery_id as varchar) as delivery_id,
        cast(borough_code as varchar) as borough_code,
        cast(borough_slug as varchar) as borough_slug,
        cast(extract_type as varchar) as extract_type,
        cast(period as varchar) as period,
        cast(delivery_label as varchar) as delivery_label,
        cast(sha256 as varchar) as sha256,
        cast(size_bytes as bigint) as size_bytes,
        cast(received_at as timestamp) as received_at,
        cast(loaded_at as timestamp) as loaded_at,
        cast(run_id as varchar) as run_id,
        cast(status as varchar) as delivery_status,
        cast(rows_delivered as bigint) as rows_delivered,
        cast(rows_landed as bigint) as rows_landed,
        cast(rows_rejected as bigint) as rows_rejected,
        cast(rows_warned as bigint) as rows_warned,
        cast(superseded_by as varchar) as superseded_by_delivery_id
    from source
)

select * from renamed
