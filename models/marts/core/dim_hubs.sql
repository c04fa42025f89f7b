with

hubs as (
    select * from {{ ref('family_hubs') }}
),

final as (
    select
        cast(hub_id as varchar) as hub_id,
        cast(hub_name as varchar) as hub_name,
        cast(borough_code as varchar) as borough_code,
        nullif(trim(cast(lsoa_code as varchar)), '') as lsoa_code,
        cast(opened_on as date) as opened_on,
        case
            when hub_id like '%-OUT' then 'outreach'
            when hub_id like '%-VIR' then 'virtual'
            else 'hub'
        end as venue,
        hub_id not like '%-OUT' and hub_id not like '%-VIR' as is_hub_site
    from hubs
)

select * from final
