-- Fingertips export rows. The Indicator Name field carries a quoted line break in real exports: trimmed here.
with

source as (
    select * from {{ source('ohid', 'ohid_fingertips_export') }}
),

renamed as (
    select
        indicator_id_int as indicator_id,
        trim(regexp_replace(indicator_name, '[\r\n]+', ' ', 'g')) as indicator_name,
        nullif(trim(parent_code), '') as parent_code,
        trim(area_code) as area_code,
        trim(area_name) as area_name,
        trim(area_type) as area_type,
        trim(sex) as sex,
        trim(age) as age,
        nullif(trim(category_type), '') as category_type,
        nullif(trim(category), '') as category,
        trim(time_period) as time_period,
        value_num as value,
        lower_ci_95_num as lower_ci_95,
        upper_ci_95_num as upper_ci_95,
        count_num as numerator,
        denominator_num as denominator,
        nullif(trim(value_note), '') as value_note,
        nullif(trim(compared_to_england), '') as compared_to_england,
        time_period_sortable_int as time_period_sortable,
        _source_file,
        _row_number
    from source
)

select * from renamed
