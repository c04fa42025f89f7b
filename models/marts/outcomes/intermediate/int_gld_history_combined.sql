{#- One row per geography (borough, London) × academic year with a GLD figure: the real published DfE figure
    where one exists for that year, else the mart's own figure from pupil-level results (London then means
    the participating boroughs); likewise the FSM gap (not eligible minus eligible, percentage points). -#}
with

published as (
    select * from {{ ref('int_gld_comparators_mapped') }}
    where metric_id = 'eyfs_gld'
        and (
            (geography_level = 'borough' and geography_code in (select borough_code from {{ ref('dim_boroughs') }}))
            or (geography_level = 'region' and geography_code = 'E12000007')
        )
),

own as (
    select * from {{ ref('int_indicator_values_estimated') }}
    where geography_level in ('borough', 'region')
        and ((metric_id = 'eyfs_gld' and breakdown_type = 'total') or metric_id = 'eyfs_gld_fsm_gap')
),

published_total as (
    select * from published
    where breakdown_type = 'total'
),

published_gap as (
    select
        not_fsm.geography_level,
        not_fsm.geography_code,
        not_fsm.period,
        not_fsm.value - fsm.value as fsm_gap
    from published as not_fsm
    inner join published as fsm
        on not_fsm.geography_level = fsm.geography_level
        and not_fsm.geography_code = fsm.geography_code
        and not_fsm.period = fsm.period
        and not_fsm.breakdown_value = 'not_fsm_eligible'
        and fsm.breakdown_value = 'fsm_eligible'
),

own_total as (
    select * from own
    where metric_id = 'eyfs_gld'
),

own_gap as (
    select * from own
    where metric_id = 'eyfs_gld_fsm_gap'
),

keys as (
    select geography_level, geography_code, period from published_total
    union
    select geography_level, geography_code, period from own_total
),

final as (
    select
        keys.geography_level,
        keys.geography_code,
        keys.period as academic_year,
        {{ period_start_year('keys.period') }} as start_year,
        {{ period_start_year('keys.period') }} >= 2021 as is_post_reform,
        coalesce(published_total.value, own_total.value) as gld_value,
        case when published_total.value is not null then published_total.numerator else own_total.numerator end
            as gld_numerator,
        case when published_total.value is not null then published_total.denominator else own_total.denominator end
            as gld_denominator,
        case when published_total.value is not null then 'published: ' || published_total.source
            else 'pupil_level'
        end as gld_source,
        round(coalesce(published_gap.fsm_gap, own_gap.value), 4) as fsm_gap_pp,
        case when published_gap.fsm_gap is not null then 'published'
            when own_gap.value is not null then 'pupil_level'
        end as fsm_gap_source
    from keys
    left join published_total
        on keys.geography_code = published_total.geography_code and keys.period = published_total.period
    left join own_total
        on keys.geography_code = own_total.geography_code and keys.period = own_total.period
        and keys.geography_level = own_total.geography_level
    left join published_gap
        on keys.geography_code = published_gap.geography_code and keys.period = published_gap.period
    left join own_gap
        on keys.geography_code = own_gap.geography_code and keys.period = own_gap.period
        and keys.geography_level = own_gap.geography_level
)

select * from final
