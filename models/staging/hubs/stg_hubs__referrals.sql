with

source as (
    select * from {{ source('hubs', 'hub_referrals') }}
),

renamed as (
    select
        cast(_borough_code as varchar) as borough_code,
        cast(referral_id as varchar) as referral_id,
        cast(person_key as varchar) as person_key,
        cast(family_key as varchar) as family_key,
        cast(hub_id as varchar) as hub_id,
        cast(to_service as varchar) as to_service,
        cast(referral_date as date) as referral_date,
        cast(outcome as varchar) as outcome,
        cast(outcome_date as date) as outcome_date,
        cast(_delivery_id as varchar) as _delivery_id,
        cast(_period as varchar) as _period,
        cast(_row_number as bigint) as _row_number,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
)

select * from renamed
