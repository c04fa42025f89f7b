-- Not-FSM is "not eligible" in every year (issue 16): int_gld_published's not_eligible figures never come from
-- the EES 2022 file's "not known to be eligible" group, and in 2021/22 every local authority's, London's and
-- England's not-eligible figure is LAIT's (England 69.5, Hackney 74.9).
with

published as (
    select * from {{ ref('int_gld_published') }}
    where measure = 'gld' and breakdown_value = 'not_eligible'
),

lait as (
    select * from {{ ref('stg_dfe__lait_values') }}
    where indicator_code = 'FSP_Gooddev_FSM_Other' and academic_year = '2021/22' and value is not null
),

la_codes as (
    select distinct dfe_la_code, current_la_code from {{ ref('int_la_codes') }}
    where dfe_la_code is not null and not is_combined_area
),

lait_coded as (
    select la_codes.current_la_code as geography_code, lait.value
    from lait
    inner join la_codes on cast(lait.dfe_la_code as varchar) = la_codes.dfe_la_code
    -- Inner and Outer London are not geographies of int_gld_published
    where la_codes.current_la_code not like 'E13%'
),

wrong_source as (
    select geography_code, academic_year, value, source, 'not-eligible figure from the EES 2022 file' as problem
    from published
    where source = 'ees_eyfsp_headline_2022'
),

differs_from_lait as (
    select
        lait_coded.geography_code, '2021/22' as academic_year, published.value, published.source,
        'differs from LAIT not eligible (or missing)' as problem
    from lait_coded
    left join published
        on lait_coded.geography_code = published.geography_code and published.academic_year = '2021/22'
    where published.value is null or abs(published.value - lait_coded.value) > 1e-9
)

select * from wrong_source
union all
select * from differs_from_lait
