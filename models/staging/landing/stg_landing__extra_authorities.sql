with

source as (
    select * from {{ source('landing', 'extra_authorities') }}
),

renamed as (
    select
        cast(borough_code as varchar) as borough_code,
        cast(borough_name as varchar) as borough_name,
        cast(slug as varchar) as borough_slug
    from source
)

select * from renamed
