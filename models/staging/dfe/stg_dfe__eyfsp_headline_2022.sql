-- EYFSP headline measures 2021/22 (2022 EES schema: characteristic / characteristic_type / gender).
with

source as (
    select * from {{ source('dfe', 'dfe_eyfsp_headline_2022') }}
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
        trim(characteristic) as breakdown_topic,
        trim(characteristic_type) as breakdown,
        case lower(trim(gender)) when 'girls' then 'female' when 'boys' then 'male' else lower(trim(gender)) end
            as sex,
        children_number_int as children_count,
        elg_number_int as all_elgs_expected_count,
        elg_percentage_num as all_elgs_expected_percent,
        comm_lang_lit_number_int as comm_lang_lit_count,
        comm_lang_lit_percentage_num as comm_lang_lit_percent,
        gld_number_int as gld_count,
        gld_percentage_num as gld_percent,
        _source_file,
        _row_number
    from source
)

select * from renamed
