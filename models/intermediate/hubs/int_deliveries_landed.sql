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
        delivery_label,
        received_at,
        loaded_at,
        run_id,
        -- Precedence among the landed deliveries of one extract type: the later load ranks higher.
        row_number() over (partition by extract_type order by loaded_at, delivery_id) as delivery_rank
    from deliveries
    where delivery_status = 'landed'
),

final as (
    select * from landed
)

select * from final
