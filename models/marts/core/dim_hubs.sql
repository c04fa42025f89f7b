{#- One row per family hub: London's (the family_hubs seed) and those of authorities that joined by
    configuration (stg_landing__extra_family_hubs). -#}
with

london_hubs as (
    select * from {{ ref('family_hubs') }}
),

extra_hubs as (
    select * from {{ ref('stg_landing__extra_family_hubs') }}
),

hubs as (
    select hub_id, hub_name, borough_code, lsoa_code, opened_on from london_hubs
    union all
    select hub_id, hub_name, borough_code, lsoa_code, opened_on from extra_hubs
    where hub_id not in (select cast(hub_id as varchar) from london_hubs)
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
