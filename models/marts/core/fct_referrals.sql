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

referrals as (
    select * from {{ ref('stg_hubs__referrals') }}
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
        landed_deliveries.loaded_at as delivery_loaded_at
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
    qualify row_number() over (
        partition by borough_code, referral_id
        order by delivery_loaded_at desc, _delivery_id desc, _row_number desc
    ) = 1
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
        {{ academic_year_of('referral_date') }} as academic_year,
        {{ financial_quarter_of('referral_date') }} as financial_quarter,
        _delivery_id
    from latest_referrals
)

select * from final
