-- GIAS "Local authority name and associated codes": a second source for 3-digit <-> ONS codes.
with

source as (
    select * from {{ source('dfe', 'dfe_gias_la_codes') }}
),

renamed as (
    select
        trim(gias_la_code) as dfe_la_code,
        trim(la_name) as la_name,
        nullif(trim(ons_la_code), '') as la_code,
        _source_file,
        _row_number
    from source
)

select * from renamed
