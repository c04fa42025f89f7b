-- IoD2019 File 3: IMD, IDACI and IDAOPI ranks and deciles per LSOA (2011). Rank 1 = most deprived.
with

source as (
    select * from {{ source('mhclg', 'mhclg_iod2019_idaci_lsoa') }}
),

renamed as (
    select
        trim(lsoa_code) as lsoa_code,
        trim(lsoa_name) as lsoa_name,
        trim(lad_code) as lad_code,
        trim(lad_name) as lad_name,
        imd_rank_int as imd_rank,
        imd_decile_int as imd_decile,
        idaci_rank_int as idaci_rank,
        idaci_decile_int as idaci_decile,
        idaopi_rank_int as idaopi_rank,
        idaopi_decile_int as idaopi_decile,
        _source_file,
        _row_number
    from source
)

select * from renamed
