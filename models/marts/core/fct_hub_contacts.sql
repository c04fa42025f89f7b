{#- A view: the rows are de-duplicated and stored, incrementally, by int_hub_contacts_deduplicated; a table here
    would copy every row again each night (12 M contacts at London scale). -#}
{{ config(materialized='view') }}

with

deduplicated as (
    select * from {{ ref('int_hub_contacts_deduplicated') }}
),

final as (
    select
        contact_key,
        borough_code,
        hub_id,
        person_key,
        family_key,
        venue,
        service_code,
        delivery_model,
        partner_name,
        contact_date,
        attended,
        academic_year,
        financial_quarter,
        _delivery_id
    from deduplicated
)

select * from final
