-- EYFSP 2019 additional table: at least expected in C&L, literacy and maths areas by FSM status, 2012/13-2018/19.
with

source as (
    select * from {{ source('dfe', 'dfe_eyfsp_areas_fsm_2013_2019') }}
),

renamed as (
    select
        substr(time_period, 1, 4) || '/' || substr(time_period, 5, 2) as academic_year,
        lower(replace(trim(geographic_level), ' ', '_')) as geographic_level,
        nullif(trim(country_code), '') as country_code,
        nullif(trim(region_code), '') as region_code,
        nullif(trim(old_la_code), '') as dfe_la_code,
        nullif(trim(new_la_code), '') as la_code,
        nullif(trim(la_name), '') as la_name,
        case trim(fsm)
            when 'Total' then 'total' when 'FSM' then 'eligible' when 'All other pupils' then 'not_eligible'
        end
            as fsm_status,
        trim(area_of_learning) as area_of_learning,
        number_of_pupils_int as children_count,
        at_least_expected_number_int as at_least_expected_count,
        at_least_expected_percent_num as at_least_expected_percent,
        _source_file,
        _row_number
    from source
)

select * from renamed
