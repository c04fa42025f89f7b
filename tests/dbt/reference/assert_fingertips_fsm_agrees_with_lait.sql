-- Fingertips 90632 FSM GLD (1 dp) agrees with LAIT's FSP_Gooddev_FSM (whole numbers before 2019) to within
-- the rounding of LAIT: |difference| <= 0.5 pp, every LA and England, 2015/16-2017/18.
with

fingertips as (
    select area_code, academic_year, value from {{ ref('stg_ohid__school_readiness_fsm') }}
    where value is not null
),

la_codes as (
    select la_code, dfe_la_code from {{ ref('int_la_codes') }}
    where dfe_la_code is not null
),

lait as (
    select cast(dfe_la_code as varchar) as dfe_la_code, academic_year, value
    from {{ ref('stg_dfe__lait_values') }}
    where indicator_code = 'FSP_Gooddev_FSM' and value is not null
)

select fingertips.area_code, fingertips.academic_year, fingertips.value as fingertips_value, lait.value as lait_value
from fingertips
inner join la_codes on fingertips.area_code = la_codes.la_code
inner join lait on la_codes.dfe_la_code = lait.dfe_la_code and fingertips.academic_year = lait.academic_year
where abs(fingertips.value - lait.value) > 0.5 + 1e-9
