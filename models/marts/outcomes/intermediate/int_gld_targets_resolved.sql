{#- One row per London borough plus London (E12000007) and the participating boroughs' aggregate
    (LONDON_PARTICIPATING): the GLD target (percent) for the target year. Boroughs
    without a row in seeds/targets/gld_local_targets.csv get var gld_target_default (75); a 'baseline_plus_pp'
    target is the published GLD of its baseline year (else the mart's own value) plus the stated points. -#}
with

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

local_targets as (
    select * from {{ ref('gld_local_targets') }}
),

published as (
    select * from {{ ref('int_gld_comparators_mapped') }}
    where metric_id = 'eyfs_gld' and breakdown_type = 'total'
),

own_values as (
    select * from {{ ref('int_indicator_values_estimated') }}
    where metric_id = 'eyfs_gld' and breakdown_type = 'total' and geography_level = 'borough'
),

geographies as (
    select borough_code as geography_code, 'borough' as geography_level from boroughs
    union all
    select distinct region_code, 'region' from boroughs
    where region_code is not null
    union all
    select {{ participating_boroughs_code() }}, {{ participating_boroughs_level() }}
),

resolved as (
    select
        geographies.geography_level,
        geographies.geography_code,
        coalesce(local_targets.target_type, 'default') as target_type,
        coalesce(local_targets.target_year, '{{ var("gld_target_year", "2027/28") }}') as target_year,
        local_targets.baseline_year,
        coalesce(published.value, own_values.value) as baseline_value,
        case
            when local_targets.target_type = 'absolute' then cast(local_targets.target_value as double)
            when local_targets.target_type = 'baseline_plus_pp'
                then coalesce(published.value, own_values.value) + cast(local_targets.target_change_pp as double)
            else cast({{ var('gld_target_default', 75.0) }} as double)
        end as target_value,
        coalesce(local_targets.source, 'National ambition: 75% of children at GLD by 2028 (var gld_target_default)')
            as target_source
    from geographies
    left join local_targets
        on geographies.geography_code = local_targets.borough_code
    left join published
        on published.geography_code = geographies.geography_code
        and published.period = local_targets.baseline_year
    left join own_values
        on own_values.geography_code = geographies.geography_code
        and own_values.period = local_targets.baseline_year
)

select * from resolved
