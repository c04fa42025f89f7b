with

source as (
    select * from {{ source('hubs', 'hub_register') }}
),

renamed as (
    select
        cast(_borough_code as varchar) as borough_code,
        cast(person_key as varchar) as person_key,
        cast(family_key as varchar) as family_key,
        cast(hub_id as varchar) as hub_id,
        cast(role as varchar) as role,
        cast(birth_month as date) as birth_month,
        coalesce(cast(sex as varchar), 'unknown') as sex,
        coalesce(cast(ethnicity_group as varchar), 'unknown') as ethnicity_group,
        upper(trim(cast(home_lsoa as varchar))) as home_lsoa,
        cast(send_flag as boolean) as send_flag,
        coalesce(cast(first_language as varchar), 'unknown') as first_language,
        cast(registration_date as date) as registration_date,
        cast(consent_data_sharing as boolean) as consent_data_sharing,
        cast(_delivery_id as varchar) as _delivery_id,
        cast(_period as varchar) as _period,
        cast(_row_number as bigint) as _row_number,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
)

select * from renamed
