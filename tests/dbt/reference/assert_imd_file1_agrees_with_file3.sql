-- IoD2019 File 1 and File 3 carry the same IMD rank and decile for every LSOA.
select
    f1.lsoa_code, f1.imd_rank as file1_rank, f3.imd_rank as file3_rank, f1.imd_decile as file1_decile,
    f3.imd_decile as file3_decile
from {{ ref('stg_mhclg__lsoa_imd_ranks') }} as f1
full outer join {{ ref('stg_mhclg__lsoa_deprivation_indices') }} as f3 on f1.lsoa_code = f3.lsoa_code
where f1.imd_rank is distinct from f3.imd_rank or f1.imd_decile is distinct from f3.imd_decile
