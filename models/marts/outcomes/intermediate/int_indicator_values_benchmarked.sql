{#- One row per computed metric × geography × period × breakdown with its London and England benchmarks, the
    Fingertips comparison (area 95% interval vs benchmark point value, turned into better/worse by polarity) and
    the GLD target. london_value prefers the real published London figure (DfE) where one exists for the metric,
    period and breakdown; otherwise it is London computed from the participating boroughs' numerators and
    denominators (a partial London). england_value is the published England figure, else null. The
    DfE-published metrics (*_dfe_published) are benchmarked against the published London and England figures of
    the same measure (their own region and country rows). -#}
with

values_trended as (
    select * from {{ ref('int_indicator_values_trended') }}
),

comparators as (
    select * from {{ ref('int_gld_comparators_mapped') }}
),

published as (
    select * from comparators
    union all
    select
        * replace (
            case metric_id
                when 'eyfs_gld' then 'gld_dfe_published'
                when 'eyfs_all_elgs' then 'all_elgs_expected_dfe_published'
                when 'eyfs_comm_lang_lit' then 'comm_lang_lit_dfe_published'
            end as metric_id
        )
    from comparators
),

published_gap as (
    select
        case not_fsm.metric_id when 'eyfs_gld' then 'eyfs_gld_fsm_gap' else 'gld_fsm_gap_dfe_published' end
            as metric_id,
        not_fsm.geography_level,
        not_fsm.geography_code,
        not_fsm.period,
        'total' as breakdown_type,
        'total' as breakdown_value,
        not_fsm.value - fsm.value as value
    from published as not_fsm
    inner join published as fsm
        on not_fsm.geography_level = fsm.geography_level
        and not_fsm.geography_code = fsm.geography_code
        and not_fsm.period = fsm.period
        and not_fsm.metric_id = fsm.metric_id
        and not_fsm.metric_id in ('eyfs_gld', 'gld_dfe_published')
        and not_fsm.breakdown_type = 'fsm' and fsm.breakdown_type = 'fsm'
        and not_fsm.breakdown_value = 'not_fsm_eligible' and fsm.breakdown_value = 'fsm_eligible'
),

benchmarks as (
    select metric_id, geography_level, geography_code, period, breakdown_type, breakdown_value, value from published
    union all
    select * from published_gap
),

london_published as (
    select * from benchmarks
    where geography_level = 'region' and geography_code = 'E12000007'
),

england_published as (
    select * from benchmarks
    where geography_level = 'country' and geography_code = 'E92000001'
),

london_computed as (
    select * from values_trended
    where geography_level = 'region' and geography_code = 'E12000007'
),

targets as (
    select * from {{ ref('int_gld_targets_resolved') }}
),

joined as (
    select
        values_trended.*,
        coalesce(london_published.value, london_computed.value) as london_value,
        case when london_published.value is not null then 'published' when london_computed.value is not null
                then 'participating_boroughs'
        end as london_value_source,
        england_published.value as england_value,
        case when values_trended.metric_id in ('eyfs_gld', 'gld_dfe_published')
                and values_trended.breakdown_type = 'total'
                then targets.target_value
        end as target_value
    from values_trended
    left join london_published
        on values_trended.metric_id = london_published.metric_id
        and values_trended.period = london_published.period
        and values_trended.breakdown_type = london_published.breakdown_type
        and values_trended.breakdown_value = london_published.breakdown_value
    left join london_computed
        on values_trended.metric_id = london_computed.metric_id
        and values_trended.period = london_computed.period
        and values_trended.breakdown_type = london_computed.breakdown_type
        and values_trended.breakdown_value = london_computed.breakdown_value
    left join england_published
        on values_trended.metric_id = england_published.metric_id
        and values_trended.period = england_published.period
        and values_trended.breakdown_type = england_published.breakdown_type
        and values_trended.breakdown_value = england_published.breakdown_value
    left join targets
        on targets.geography_code = coalesce(values_trended.borough_code, values_trended.geography_code)
        and targets.geography_level = case when values_trended.geography_level = 'hub' then 'borough'
            else values_trended.geography_level
        end
),

final as (
    select
        *,
        case when geography_level in ('hub', 'borough')
                then {{ fh_compare_to_benchmark('lower_95', 'upper_95', 'london_value', 'polarity') }}
        end
            as compared_to_london,
        case when geography_level in ('hub', 'borough', 'region')
                then {{ fh_compare_to_benchmark('lower_95', 'upper_95', 'england_value', 'polarity') }}
        end
            as compared_to_england
    from joined
)

select * from final
