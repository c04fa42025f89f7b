-- LAIT long table: one row per indicator x area x year label. "Data item" is only on the first row of each
-- indicator block in the file (forward-filled at landing as data_item_filled). Values "-" -> null.
with

source as (
    select * from {{ source('dfe', 'dfe_lait_bds_long') }}
),

renamed as (
    select
        trim(short_desc) as indicator_code,
        data_item_filled as indicator_name,
        trim(years) as year_label,
        -- LAIT "2019" = the summer term of academic year 2018/19; other labels (ranges, "(OT)") kept null
        case
            when regexp_full_match(trim(years), '\d{4}')
                then cast(cast(trim(years) as integer) - 1 as varchar) || '/' || right(trim(years), 2)
        end as academic_year,
        trim(la_and_regions) as area_name,
        la_number_int as dfe_la_code,
        nullif(nullif(trim(region), 'NA'), '') as lait_region,
        lait_value as value_text,
        -- float artefacts (65.099999999999994) rounded away; 6 dp is far below the published precision
        round(lait_value_num, 6) as value,
        _source_file,
        _row_number
    from source
)

select * from renamed
