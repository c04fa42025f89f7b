{{ config(severity='warn') }}
-- GIAS (second source) maps each live LA's 3-digit code to the same ONS code as the EES screener lookup.
with

gias as (
    select dfe_la_code, la_code, la_name
    from {{ ref('stg_dfe__gias_la_codes') }}
    where la_code like 'E0%' or la_code like 'E1%'
),

las as (
    select dfe_la_code, la_code from {{ ref('stg_dfe__las') }}
    where status = 'live' and not is_combined_area
)

select gias.dfe_la_code, gias.la_name, gias.la_code as gias_code, las.la_code as las_code
from gias
inner join las on gias.dfe_la_code = las.dfe_la_code
where gias.la_code <> las.la_code
    and not exists (
        select 1 from las as l2
        where l2.dfe_la_code = gias.dfe_la_code and l2.la_code = gias.la_code
    )
