-- No row of a superseded or quarantined delivery reaches a core fact: every _delivery_id is a landed delivery
-- of the fact's extract type. Returns the offending rows.
with

landed as (
    select * from {{ ref('int_deliveries_landed') }}
),

fact_deliveries as (
    select distinct 'contacts' as extract_type, _delivery_id from {{ ref('fct_hub_contacts') }}
    union all
    select distinct 'referrals', _delivery_id from {{ ref('fct_referrals') }}
    union all
    select distinct 'assessments', _delivery_id from {{ ref('fct_assessments') }}
    union all
    select distinct 'register', _delivery_id from {{ ref('int_hub_registrations_deduplicated') }}
    union all
    select distinct 'eyfsp', _delivery_id from {{ ref('fct_eyfsp_results') }}
),

final as (
    select fact_deliveries.*
    from fact_deliveries
    anti join landed
        on fact_deliveries._delivery_id = landed.delivery_id
        and fact_deliveries.extract_type = landed.extract_type
)

select * from final
