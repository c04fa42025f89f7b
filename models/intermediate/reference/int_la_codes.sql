-- One row per ONS geography code the DfE files use: local authorities (live and terminated, incl. the
-- combined Kingston/Richmond row), regions, Inner/Outer London and England, with the DfE 3-digit code.
with

las as (
    select * from {{ ref('stg_dfe__las') }}
),

regions as (
    select * from {{ ref('stg_dfe__regions') }}
),

lait_codes as (
    select * from {{ ref('stg_dfe__lait_la_codes') }}
),

local_authorities as (
    select
        la_code,
        dfe_la_code,
        la_name,
        'local_authority' as geography_type,
        region_code,
        entity_code,
        status,
        date_of_operation,
        date_of_termination,
        is_combined_area
    from las
),

-- the code in use today for a DfE 3-digit code (Barnsley 370: E08000016 until 2025, then E08000038)
current_codes as (
    select dfe_la_code, la_code as current_la_code
    from local_authorities
    where dfe_la_code is not null and not is_combined_area
    qualify row_number() over (
            partition by dfe_la_code
            order by (status = 'live') desc, coalesce(date_of_termination, date '9999-12-31') desc, la_code desc
        ) = 1
),

lait_regions as (
    select
        cast(dfe_la_code as varchar) as dfe_la_code,
        case lower(la_name)
            when 'london (inner)' then 'inner london'
            when 'london (outer)' then 'outer london'
            else lower(la_name)
        end as region_key
    from lait_codes
    where dfe_la_code between 980 and 990
),

region_rows as (
    select
        regions.region_code as la_code,
        lait_regions.dfe_la_code,
        regions.region_name as la_name,
        case when regions.region_code like 'E13%' then 'sub_region' else 'region' end as geography_type,
        case when regions.region_code like 'E13%' then 'E12000007' end as region_code,
        null as entity_code,
        'live' as status,
        cast(null as date) as date_of_operation,
        cast(null as date) as date_of_termination,
        false as is_combined_area
    from regions
    left join lait_regions on lower(regions.region_name) = lait_regions.region_key
),

country_row as (
    select
        'E92000001' as la_code,
        '970' as dfe_la_code,
        'England' as la_name,
        'country' as geography_type,
        null as region_code,
        null as entity_code,
        'live' as status,
        cast(null as date) as date_of_operation,
        cast(null as date) as date_of_termination,
        false as is_combined_area
    where exists (select 1 from las)
),

unioned as (
    select * from local_authorities
    union all by name
    select * from region_rows
    union all by name
    select * from country_row
),

final as (
    select
        unioned.la_code,
        unioned.dfe_la_code,
        unioned.la_name,
        unioned.geography_type,
        unioned.region_code,
        unioned.entity_code,
        unioned.status,
        unioned.date_of_operation,
        unioned.date_of_termination,
        unioned.is_combined_area,
        coalesce(current_codes.current_la_code, unioned.la_code) as current_la_code,
        unioned.la_code like 'E09%' and not unioned.is_combined_area as is_london_borough
    from unioned
    left join current_codes
        on unioned.dfe_la_code = current_codes.dfe_la_code and unioned.geography_type = 'local_authority'
)

select * from final
