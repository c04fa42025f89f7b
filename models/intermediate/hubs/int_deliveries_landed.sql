{#- The deliveries whose rows count: status `landed` (not quarantined, not superseded by a resubmission). -#}
with

deliveries as (
    select * from {{ ref('stg_landing__deliveries') }}
),

landed as (
    select
        delivery_id,
        borough_code,
        extract_type,
        period,
        source_file,
        received_at,
        loaded_at,
        run_id
    from deliveries
    where delivery_status = 'landed'
),

final as (
    select * from landed
)

select * from final
