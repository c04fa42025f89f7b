-- EES lower-tier local authority districts (LAD codes with dates; renamed districts appear twice).
with

source as (
    select * from {{ source('dfe', 'dfe_lads') }}
),

renamed as (
    select
        trim(lad_code) as lad_code,
        trim(lad_name) as lad_name,
        try_strptime(nullif(trim(date_of_introduction), ''), '%d/%m/%Y')::date as date_of_introduction,
        try_strptime(nullif(trim(date_of_termination), ''), '%d/%m/%Y')::date as date_of_termination,
        lower(trim(status)) as status,
        _source_file,
        _row_number
    from source
)

select * from renamed
