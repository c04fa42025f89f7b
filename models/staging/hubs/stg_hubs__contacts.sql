with

source as (
    select * from {{ source('hubs', 'hub_contacts') }}
),

renamed as (
    select
        cast(_borough_code as varchar) as borough_code,
        cast(contact_id as varchar) as contact_id,
        cast(person_key as varchar) as person_key,
        cast(family_key as varchar) as family_key,
        cast(hub_id as varchar) as hub_id,
        coalesce(cast(venue as varchar), 'hub') as venue,
        cast(service_code as varchar) as service_code,
        cast(delivery_model as varchar) as delivery_model,
        cast(partner_name as varchar) as partner_name,
        cast(contact_date as date) as contact_date,
        cast(attended as boolean) as attended,
        cast(_delivery_id as varchar) as _delivery_id,
        cast(_period as varchar) as _period,
        cast(_row_number as bigint) as _row_number,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
)

select * from renamed
