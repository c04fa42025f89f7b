-- Fingertips 90632: % of children with free school meal status achieving a GLD, by LA and England.
with

source as (
    select * from {{ source('ohid', 'ohid_school_readiness_fsm') }}
),

renamed as (
    select
        trim(area_code) as area_code,
        trim(area_name) as area_name,
        trim(period) as academic_year,
        value_num as value,
        trim(indicator) as indicator_name,
        nullif(trim(significance), '') as compared_to_england,
        _source_file,
        _row_number
    from source
)

select * from renamed
