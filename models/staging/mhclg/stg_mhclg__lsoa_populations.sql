-- IoD2019 File 6: mid-2015 population denominators per LSOA (2011), excluding prisoners.
with

source as (
    select * from {{ source('mhclg', 'mhclg_iod2019_population_lsoa') }}
),

renamed as (
    select
        trim(lsoa_code) as lsoa_code,
        trim(lad_code) as lad_code,
        population_total_int as population_total,
        children_0_15_int as children_0_15,
        population_16_59_int as population_16_59,
        population_60_plus_int as population_60_plus,
        working_age_population_num as working_age_population,
        _source_file,
        _row_number
    from source
)

select * from renamed
