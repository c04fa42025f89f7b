{#- One row per peer group × borough compared with it × DfE measure (as the mart's metrics) × academic year ×
    breakdown: the group's benchmark from DfE's published figures for its members (int_gld_published, every
    local authority in England). From counts wherever every member with a figure has counts (the members'
    numerators and denominators pooled, never an average of percentages); otherwise the mean of the members'
    published percentages, flagged is_mean_of_values (LAIT years publish no counts). The FSM gap is the
    group's not-eligible minus eligible benchmark (pooled only when both are). Each benchmark is filed under
    both metrics of its measure: the DfE-published one (gld_dfe_published) and the borough-records one
    (eyfs_gld), which is compared with DfE's figure for its peers, and says so. -#}
with

published as (
    select * from {{ ref('int_gld_published') }}
    where geography_level = 'borough'
),

peer_groups as (
    select * from {{ ref('int_peer_groups_resolved') }}
),

group_sizes as (
    select peer_group_id, borough_code, count(*) as peers_in_group
    from peer_groups
    group by all
),

member_figures as (
    select
        peer_groups.peer_group_id,
        peer_groups.peer_group_name,
        peer_groups.borough_code,
        published.measure,
        published.academic_year,
        published.breakdown_type,
        published.breakdown_value,
        published.numerator,
        published.denominator,
        published.value,
        published.source_label
    from peer_groups
    inner join published
        on peer_groups.member_code = published.geography_code
),

pooled as (
    select
        peer_group_id,
        borough_code,
        measure,
        academic_year,
        breakdown_type,
        breakdown_value,
        any_value(peer_group_name) as peer_group_name,
        count(*) as peers_with_value,
        count(*) filter (where numerator is not null and denominator > 0) as peers_with_counts,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        -- exact: the mean must not depend on the order the members are added in (macros/stats/exact.sql)
        {{ fh_exact_sum('value') }} / count(*) as mean_value,
        string_agg(distinct source_label, '; ' order by source_label) as source
    from member_figures
    group by peer_group_id, borough_code, measure, academic_year, breakdown_type, breakdown_value
),

valued as (
    select
        pooled.* exclude (numerator, denominator, mean_value),
        pooled.peers_with_counts < pooled.peers_with_value as is_mean_of_values,
        case when pooled.peers_with_counts = pooled.peers_with_value then pooled.numerator end as numerator,
        case when pooled.peers_with_counts = pooled.peers_with_value then pooled.denominator end as denominator,
        case
            when pooled.peers_with_counts = pooled.peers_with_value and pooled.denominator > 0
                then 100.0 * pooled.numerator / pooled.denominator
            else pooled.mean_value
        end as benchmark_value
    from pooled
),

gaps as (
    select
        not_fsm.peer_group_id,
        not_fsm.borough_code,
        'gld_fsm_gap' as measure,
        not_fsm.academic_year,
        'total' as breakdown_type,
        'total' as breakdown_value,
        not_fsm.peer_group_name,
        least(not_fsm.peers_with_value, fsm.peers_with_value) as peers_with_value,
        least(not_fsm.peers_with_counts, fsm.peers_with_counts) as peers_with_counts,
        {{ fsm_gap_source('not_fsm.source', 'fsm.source') }} as source,
        not_fsm.is_mean_of_values or fsm.is_mean_of_values as is_mean_of_values,
        cast(null as hugeint) as numerator,
        cast(null as hugeint) as denominator,
        not_fsm.benchmark_value - fsm.benchmark_value as benchmark_value
    from valued as not_fsm
    inner join valued as fsm
        on not_fsm.peer_group_id = fsm.peer_group_id
        and not_fsm.borough_code = fsm.borough_code
        and not_fsm.academic_year = fsm.academic_year
        and not_fsm.measure = 'gld' and fsm.measure = 'gld'
        and not_fsm.breakdown_value = 'not_eligible' and fsm.breakdown_value = 'eligible'
),

benchmarks as (
    select * from valued
    union all by name
    select * from gaps
),

metrics as (
    {%- for measure, records_metric, published_metric in dfe_measure_metrics() %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select '{{ measure }}' as measure, '{{ records_metric }}' as metric_id
    union all
    select '{{ measure }}', '{{ published_metric }}'
    {%- endfor %}
),

final as (
    select
        benchmarks.peer_group_id,
        benchmarks.peer_group_name,
        benchmarks.borough_code,
        metrics.metric_id,
        benchmarks.academic_year as period,
        benchmarks.breakdown_type,
        {{ dfe_breakdown_value('benchmarks.breakdown_value') }} as breakdown_value,
        round(benchmarks.benchmark_value, 4) as benchmark_value,
        cast(benchmarks.numerator as double) as numerator,
        cast(benchmarks.denominator as double) as denominator,
        benchmarks.is_mean_of_values,
        cast(group_sizes.peers_in_group as integer) as peers_in_group,
        cast(benchmarks.peers_with_value as integer) as peers_with_value,
        benchmarks.source
    from benchmarks
    inner join metrics
        on benchmarks.measure = metrics.measure
    inner join group_sizes
        on benchmarks.peer_group_id = group_sizes.peer_group_id
        and benchmarks.borough_code = group_sizes.borough_code
)

select * from final
