-- EES regions (E12) and Inner/Outer London (E13).
with

source as (
    select * from {{ source('dfe', 'dfe_regions') }}
),

renamed as (
    select
        trim(region_code) as region_code,
        trim(region_name) as region_name,
        _source_file,
        _row_number
    from source
)

select * from renamed
