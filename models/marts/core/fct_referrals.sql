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

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'referrals'
),

{#- `not materialized`: read twice on an incremental night (macros/incremental_deliveries.sql). -#}
referrals as not materialized (
    select * from {{ ref('stg_hubs__referrals') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

{% if is_incremental() %}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_referrals as (
    select distinct borough_code, referral_id
    from referrals
    where _delivery_id in (select delivery_id from changed_deliveries)
),
{% endif %}

landed_referrals as (
    select
        referrals.*,
        -- one comparable number per row: later delivery first, then later row in the file
        landed_deliveries.delivery_rank * 4294967296 + referrals._row_number as row_precedence
    from referrals
    inner join landed_deliveries
        on referrals._delivery_id = landed_deliveries.delivery_id
    {% if is_incremental() %}
    semi join affected_referrals
        on referrals.borough_code = affected_referrals.borough_code
        and referrals.referral_id = affected_referrals.referral_id
    {% endif %}
),

{#- One row per borough × referral id: the most recently loaded landed delivery wins (a later file carries
    the referral's later outcome); within one file the last row wins. -#}
latest_referrals as (
    select *
    from landed_referrals
    -- row_precedence is unique per row (delivery_rank is a row_number, _row_number is unique in a file), so
    -- this keeps exactly the row holding max(row_precedence) of its key, in one pass over the landed rows
    -- (an aggregate of the winners joined back to the landed rows read them twice: ~20 % slower at London scale)
    qualify row_number() over (partition by borough_code, referral_id order by row_precedence desc) = 1
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
    from latest_referrals
    left join calendar_months
        on date_trunc('month', latest_referrals.referral_date) = calendar_months.month_start
)

select * from final
