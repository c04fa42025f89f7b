-- One row per LSOA (2011) in England: IoD2019 IMD and IDACI rank/decile/quintile and mid-2015 children 0-15.
with

indices as (
    select * from {{ ref('stg_mhclg__lsoa_deprivation_indices') }}
),

populations as (
    select * from {{ ref('stg_mhclg__lsoa_populations') }}
),

joined as (
    select
        indices.lsoa_code,
        indices.lsoa_name,
        indices.lad_code as borough_code,
        indices.lad_name as borough_name,
        indices.imd_rank,
        indices.imd_decile,
        cast(ceil(indices.imd_decile / 2.0) as integer) as imd_quintile,
        indices.idaci_rank,
        indices.idaci_decile,
        cast(ceil(indices.idaci_decile / 2.0) as integer) as idaci_quintile,
        populations.children_0_15,
        populations.population_total,
        indices.lad_code like 'E09%' as is_london
    from indices
    left join populations on indices.lsoa_code = populations.lsoa_code
)

select * from joined
