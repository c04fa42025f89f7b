-- IoD2019 File 1: IMD rank and decile per LSOA (2011). Same figures as File 3; kept as a cross-check.
with

source as (
    select * from {{ source('mhclg', 'mhclg_imd2019_lsoa') }}
),

renamed as (
    select
        trim(lsoa_code) as lsoa_code,
        trim(lad_code) as lad_code,
        imd_rank_int as imd_rank,
        imd_decile_int as imd_decile,
        _source_file,
        _row_number
    from source
)

select * from renamed
