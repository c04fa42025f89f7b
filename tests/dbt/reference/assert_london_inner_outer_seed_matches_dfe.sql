-- seeds/reference/london_boroughs.csv inner_outer must match the Inner/Outer London grouping DfE uses in
-- the EYFSP files (DfE statistics put Haringey and Newham in Outer London, unlike the ONS statistical
-- definition).
with

seed as (
    select borough_code, inner_outer from {{ ref('london_boroughs') }}
),

dfe as (
    select distinct la_code, region_name
    from {{ ref('stg_dfe__eyfsp_la_results_2013_2019') }}
    where geographic_level = 'local_authority' and region_code like 'E13%'
)

select seed.borough_code, seed.inner_outer as seed_value, dfe.region_name as dfe_value
from seed
inner join dfe on seed.borough_code = dfe.la_code
where seed.inner_outer <> dfe.region_name
