{#- One row per participating authority: the 33 London boroughs (seed) and any authority outside London that
    joined by configuration (stg_landing__extra_authorities; no region, DfE code or inner/outer London). -#}
with

london_boroughs as (
    select * from {{ ref('london_boroughs') }}
),

extra_authorities as (
    select * from {{ ref('stg_landing__extra_authorities') }}
),

london as (
    select
        cast(borough_code as varchar) as borough_code,
        lpad(cast(dfe_la_code as varchar), 3, '0') as dfe_la_code,
        cast(borough_name as varchar) as borough_name,
        cast(region_code as varchar) as region_code,
        'London' as region_name,
        cast(inner_outer as varchar) as inner_outer,
        cast(inner_outer_code as varchar) as inner_outer_code,
        inner_outer = 'Inner London' as is_inner_london,
        true as is_london
    from london_boroughs
),

outside_london as (
    select
        extra_authorities.borough_code,
        cast(null as varchar) as dfe_la_code,
        extra_authorities.borough_name,
        cast(null as varchar) as region_code,
        cast(null as varchar) as region_name,
        cast(null as varchar) as inner_outer,
        cast(null as varchar) as inner_outer_code,
        false as is_inner_london,
        false as is_london
    from extra_authorities
    where extra_authorities.borough_code not in (select borough_code from london)
),

final as (
    select * from london
    union all
    select * from outside_london
)

select * from final
