{{ config(severity='warn') }}
-- Known difference, kept visible: EES 2021/22 "not known to be eligible for FSM" vs LAIT "2022" FSM
-- "all other pupils" (England 68.8 vs 69.5; LAIT higher in every LA). int_gld_published takes 2021/22 from
-- EES (counts) and 2022/23+ from LAIT, so the not_eligible series has a definitional step at 2022/23.
with

ees as (
    select *
    from {{ ref('int_gld_published') }}
    where measure = 'gld' and source = 'ees_eyfsp_headline_2022' and academic_year = '2021/22'
        and breakdown_value = 'not_eligible'
),

lait as (
    select * from {{ ref('stg_dfe__lait_values') }}
    where indicator_code = 'FSP_Gooddev_FSM_Other'
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
