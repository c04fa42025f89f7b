-- 2015/16-2018/19 GLD from the EES underlying file agrees with LAIT (2016-2019) for every LA, London and
-- England, to 0.1 percentage points.
with

ees as (
    select * from {{ ref('int_gld_published') }}
    where measure = 'gld' and breakdown_type = 'total' and not is_post_reform
        and source like 'ees_eyfsp_2013_2019%'
),

lait as (
    select * from {{ ref('stg_dfe__lait_values') }}
    where indicator_code = 'FSP_NEW_GOODDEV' and value is not null
),

la_codes as (
    select distinct dfe_la_code, current_la_code from {{ ref('int_la_codes') }}
    where dfe_la_code is not null and not is_combined_area
),

lait_coded as (
    select la_codes.current_la_code as geography_code, lait.academic_year, lait.value
    from lait
    inner join la_codes on cast(lait.dfe_la_code as varchar) = la_codes.dfe_la_code
)

select ees.geography_code, ees.geography_name, ees.academic_year, ees.value as ees_value, lait_coded.value as lait_value
from ees
inner join lait_coded
    on ees.geography_code = lait_coded.geography_code and ees.academic_year = lait_coded.academic_year
where abs(ees.value - lait_coded.value) > 0.1
