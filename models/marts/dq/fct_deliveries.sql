{#- The delivery ledger as analysts and performance teams see it: bookkeeping only (no file contents, no key
    label). A delivery is named by its label, never by its file name, which stays in the work file (issue 13).
    Built again by the data-quality build just before the publish, so it shows tonight's landing. -#}
with

deliveries as (
    select * from {{ ref('stg_landing__deliveries') }}
),

final as (
    select
        delivery_id,
        delivery_label,
        borough_code,
        extract_type,
        period,
        size_bytes,
        received_at,
        loaded_at,
        run_id,
        delivery_status as status,
        rows_delivered,
        rows_landed,
        rows_rejected,
        superseded_by_delivery_id as superseded_by
    from deliveries
)

select * from final
