{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='referral_key',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_of_withdrawn_deliveries('referrals') }}"
    )
}}

with

{#- One row per borough × referral id: the most recently loaded file carries the referral's later outcome
    (macros/incremental_deliveries.sql). #}
{{ latest_landed_rows('stg_hubs__referrals', 'referrals', ['borough_code', 'referral_id']) }},

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

final as (
    select
        {{ surrogate_key(['borough_code', 'referral_id']) }} as referral_key,
        borough_code,
        hub_id,
        person_key,
        family_key,
        to_service,
        referral_date,
        outcome,
        outcome_date,
        cast(case
            when outcome_date >= referral_date then outcome_date - referral_date
        end as integer) as days_to_outcome,
        calendar_months.academic_year,
        calendar_months.financial_quarter,
        _delivery_id
    from latest_rows
    left join calendar_months
        on date_trunc('month', latest_rows.referral_date) = calendar_months.month_start
)

select * from final
