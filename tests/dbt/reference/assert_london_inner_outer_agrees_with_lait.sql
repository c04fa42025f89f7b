-- London before the reform is computed from Inner + Outer London counts (the 2013-2019 file has no London
-- row). It must agree with LAIT's published London figure (LA number 986) to 0.1 percentage points.
with

derived as (
    select academic_year, value
    from {{ ref('int_gld_published') }}
    where measure = 'gld' and source = 'ees_eyfsp_2013_2019_inner_outer_london' and breakdown_type = 'total'
),

lait as (
    select academic_year, value
    from {{ ref('stg_dfe__lait_values') }}
    where indicator_code = 'FSP_NEW_GOODDEV' and dfe_la_code = 986 and value is not null
)

select derived.academic_year, derived.value as from_counts, lait.value as lait_value
from derived
inner join lait on derived.academic_year = lait.academic_year
where abs(derived.value - lait.value) > 0.1
