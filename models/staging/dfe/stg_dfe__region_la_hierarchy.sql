-- EES region -> LA hierarchy, incl. the pseudo-areas coded 'z' (outside England / unknown).
with

source as (
    select * from {{ source('dfe', 'dfe_region_la_hierarchy') }}
),

renamed as (
    select
        trim(region_code) as region_code,
        trim(region_name) as region_name,
        trim(old_la_code) as dfe_la_code,
        trim(la_name) as la_name,
        trim(new_la_code) as la_code,
        trim(new_la_code) = 'z' as is_pseudo_area,
        _source_file,
        _row_number
    from source
)

select * from renamed
