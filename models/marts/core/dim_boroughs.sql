with

boroughs as (
    select * from {{ ref('london_boroughs') }}
),

final as (
    select
        cast(borough_code as varchar) as borough_code,
        lpad(cast(dfe_la_code as varchar), 3, '0') as dfe_la_code,
        cast(borough_name as varchar) as borough_name,
        cast(region_code as varchar) as region_code,
        'London' as region_name,
        cast(inner_outer as varchar) as inner_outer,
        cast(inner_outer_code as varchar) as inner_outer_code,
        inner_outer = 'Inner London' as is_inner_london
    from boroughs
)

select * from final
