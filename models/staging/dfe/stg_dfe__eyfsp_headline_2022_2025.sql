-- EYFSP headline measures, current EES layout (breakdown_topic / breakdown / sex), 2021/22-2024/25.
with

source as (
    select * from {{ source('dfe', 'dfe_eyfsp_headline_2022_2025') }}
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
        nullif(trim(lad_code), '') as lad_code,
        trim(breakdown_topic) as breakdown_topic,
        trim(breakdown) as breakdown,
        lower(trim(sex)) as sex,
        children_count_int as children_count,
        all_elgs_expected_children_count_int as all_elgs_expected_count,
        all_elgs_expected_children_percent_num as all_elgs_expected_percent,
        comm_lang_lit_expected_children_count_int as comm_lang_lit_count,
        comm_lang_lit_expected_children_percent_num as comm_lang_lit_percent,
        gld_children_count_int as gld_count,
        gld_children_percent_num as gld_percent,
        _source_file,
        _row_number
    from source
)

select * from renamed
