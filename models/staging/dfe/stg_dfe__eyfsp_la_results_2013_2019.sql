-- EYFSP underlying file 2012/13-2018/19 (pre-reform), one row per year x geography x gender.
-- Quirks handled: blank geography fields are a single space; time_identifier capitalisation varies.
with

source as (
    select * from {{ source('dfe', 'dfe_eyfsp_la_2013_2019') }}
),

renamed as (
    select
        substr(time_period, 1, 4) || '/' || substr(time_period, 5, 2) as academic_year,
        lower(replace(trim(geographic_level), ' ', '_')) as geographic_level,
        nullif(trim(country_code), '') as country_code,
        nullif(trim(region_code), '') as region_code,
        nullif(trim(region_name), '') as region_name,
        nullif(trim(old_la_code), '') as dfe_la_code,
        nullif(trim(new_la_code), '') as la_code,
        nullif(trim(la_name), '') as la_name,
        lower(trim(gender)) as gender,
        number_of_children_int as children_count,
        elg_number_int as all_elgs_expected_count,
        elg_percent_num as all_elgs_expected_percent,
        gld_number_int as gld_count,
        gld_percent_num as gld_percent,
        comm_lang_lit_number_int as comm_lang_lit_count,
        comm_lang_lit_percent_num as comm_lang_lit_percent,
        _source_file,
        _row_number
    from source
)

select * from renamed
