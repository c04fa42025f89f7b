{#- A view: the rows are de-duplicated and stored, incrementally, by int_referrals_deduplicated; a table here
    would copy every row again each night (12 M contacts at London scale). -#}
{{ config(materialized='view') }}

with

deduplicated as (
    select * from {{ ref('int_referrals_deduplicated') }}
),

final as (
    select
        referral_key,
        borough_code,
        hub_id,
        person_key,
        family_key,
        to_service,
        referral_date,
        outcome,
        outcome_date,
        days_to_outcome,
        academic_year,
        financial_quarter,
        _delivery_id
    from deduplicated
)

select * from final
