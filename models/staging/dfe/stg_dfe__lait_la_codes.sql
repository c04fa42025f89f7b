-- LAIT LA list: 3-digit LA number, name, region and type (regions 980-990, England 970).
with

source as (
    select * from {{ source('dfe', 'dfe_lait_la_codes') }}
),

renamed as (
    select
        la_number_int as dfe_la_code,
        trim(la_name) as la_name,
        nullif(trim(region), 'NA') as lait_region,
        nullif(trim(la_type), 'NA') as la_type,
        _source_file,
        _row_number
    from source
)

select * from renamed
