with

source as (
    select * from {{ source('landing', 'extra_family_hubs') }}
),

renamed as (
    select
        cast(hub_id as varchar) as hub_id,
        cast(hub_name as varchar) as hub_name,
        cast(borough_code as varchar) as borough_code,
        nullif(trim(cast(lsoa_code as varchar)), '') as lsoa_code,
        cast(opened_on as date) as opened_on
    from source
)

select * from renamed
