-- EES 2021/22 headline values (every LA, region and England; total and FSM-eligible) agree with LAIT "2022"
-- to 0.1 pp. Not-FSM is checked separately (warn): LAIT's "all other pupils" is a different group from
-- EES's "not known to be eligible" (England 69.5 vs 68.8) - see docs/reference-data.md.
with

ees as (
    select *
    from {{ ref('int_gld_published') }}
    where measure = 'gld' and source = 'ees_eyfsp_headline_2022' and academic_year = '2021/22'
        and breakdown_value in ('total', 'eligible')
),

lait as (
    select * from {{ ref('stg_dfe__lait_values') }}
    where indicator_code in ('FSP_NEW_GOODDEV', 'FSP_Gooddev_FSM')
        and academic_year = '2021/22' and value is not null
),

la_codes as (
    select distinct dfe_la_code, current_la_code from {{ ref('int_la_codes') }}
    where dfe_la_code is not null and not is_combined_area
),

lait_coded as (
    select
        la_codes.current_la_code as geography_code,
        case lait.indicator_code
            when 'FSP_Gooddev_FSM' then 'eligible' when 'FSP_Gooddev_FSM_Other' then 'not_eligible' else 'total'
        end as breakdown_value,
        lait.value
    from lait
    inner join la_codes on cast(lait.dfe_la_code as varchar) = la_codes.dfe_la_code
)

select
    ees.geography_code, ees.geography_name, ees.breakdown_value, ees.value as ees_value, lait_coded.value as lait_value
from ees
inner join lait_coded
    on ees.geography_code = lait_coded.geography_code and ees.breakdown_value = lait_coded.breakdown_value
where abs(ees.value - lait_coded.value) > 0.1
