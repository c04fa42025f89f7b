-- EES screener LA lookup: ONS code, DfE 3-digit code, name, region, dates and status.
with

source as (
    select * from {{ source('dfe', 'dfe_las') }}
),

renamed as (
    select
        trim(new_la_code) as la_code,
        trim(la_name) as la_name,
        nullif(nullif(trim(old_la_code), ''), 'x') as dfe_la_code,
        trim(parent_geography_code) as region_code,
        trim(entity_code) as entity_code,
        trim(entity_description) as entity_description,
        lower(trim(status)) as status,
        try_strptime(nullif(trim(date_of_operation), ''), '%d/%m/%Y')::date as date_of_operation,
        try_strptime(nullif(trim(date_of_termination), ''), '%d/%m/%Y')::date as date_of_termination,
        contains(new_la_code, '/') as is_combined_area,
        _source_file,
        _row_number
    from source
)

select * from renamed
