{{ config(severity='warn') }}
-- A borough reports activity at its own hubs (landing rejects others): every contact's, referral's and
-- registration's hub belongs to the borough that sent the row. Returns the mismatches.
with

hubs as (
    select * from {{ ref('dim_hubs') }}
),

fact_hubs as (
    select distinct 'fct_hub_contacts' as fact, borough_code, hub_id from {{ ref('fct_hub_contacts') }}
    union all
    select distinct 'fct_referrals', borough_code, hub_id from {{ ref('fct_referrals') }}
    union all
    select distinct 'fct_assessments', borough_code, hub_id from {{ ref('fct_assessments') }}
    union all
    select distinct 'fct_hub_registrations', borough_code, hub_id from {{ ref('fct_hub_registrations') }}
),

final as (
    select fact_hubs.*, hubs.borough_code as hub_borough_code
    from fact_hubs
    inner join hubs on fact_hubs.hub_id = hubs.hub_id
    where fact_hubs.borough_code <> hubs.borough_code
)

select * from final
