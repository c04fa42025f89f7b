{#- One row per borough value (metric × borough × period × breakdown, as published in indicator_values) × peer
    group it is compared with: its DfE statistical neighbours (var statistical_neighbours_model, 2025 by
    default) and every custom group it belongs to (seeds/reference/peer_groups.csv: participating boroughs,
    Inner or Outer London, listed boroughs). The benchmark is DfE's published figure for the group's members
    where DfE publishes the measure (int_peer_benchmarks_pooled: pooled counts, else the mean of their
    percentages, flagged); otherwise, for a custom group, the members' own records pooled from the numerators
    and denominators published in indicator_values - and none at all when any member's cell is suppressed
    there (the group total would give it away). Same significance rule as indicator_values (Fingertips: the
    borough's 95% interval against the benchmark's point value, by polarity). Counts and gaps of records have
    no records benchmark (a borough's count is not comparable with a group total). -#}
with

indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

peer_groups as (
    select * from {{ ref('int_peer_groups_resolved') }}
),

dfe_benchmarks as (
    select * from {{ ref('int_peer_benchmarks_pooled') }}
),

metrics as (
    select * from {{ ref('framework_metrics') }}
),

borough_values as (
    select
        indicator_values.*,
        metrics.polarity,
        metrics.unit,
        indicator_values.source <> {{ borough_records_source() }} as is_published_statistic
    from indicator_values
    inner join metrics
        on indicator_values.metric_id = metrics.metric_id
    where indicator_values.geography_level = 'borough'
),

-- each borough's groups and how many peers each has
memberships as (
    select peer_group_id, peer_group_name, borough_code, count(*) as peers_in_group
    from peer_groups
    group by all
),

compared_pairs as (
    select
        borough_values.*,
        memberships.peer_group_id,
        memberships.peer_group_name,
        memberships.peers_in_group
    from borough_values
    inner join memberships
        on borough_values.geography_code = memberships.borough_code
),

-- custom groups, metrics DfE does not publish: the members' records as published in indicator_values
records_members as (
    select
        peer_groups.peer_group_id,
        peer_groups.borough_code,
        member_values.metric_id,
        member_values.period,
        member_values.breakdown_type,
        member_values.breakdown_value,
        member_values.geography_code as member_code,
        member_values.numerator,
        member_values.denominator,
        member_values.suppression_symbol
    from peer_groups
    inner join borough_values as member_values
        on peer_groups.member_code = member_values.geography_code
    where peer_groups.peer_group_id <> 'statistical_neighbours'
        and not member_values.is_published_statistic
        and member_values.unit in ('percent', 'mean', 'points', 'days')
),

records_benchmarks as (
    select
        peer_group_id,
        borough_code,
        metric_id,
        period,
        breakdown_type,
        breakdown_value,
        count(*) filter (where suppression_symbol = 'c') as members_suppressed,
        count(*) filter (where denominator > 0) as peers_with_value,
        {{ fh_exact_sum('numerator') }} as numerator,
        {{ fh_exact_sum('denominator') }} as denominator,
        string_agg(member_code, ' ' order by member_code) filter (where denominator > 0) as benchmark_members
    from records_members
    group by all
),

joined as (
    select
        compared_pairs.*,
        dfe_benchmarks.benchmark_value as dfe_value,
        dfe_benchmarks.is_mean_of_values as dfe_is_mean,
        dfe_benchmarks.peers_with_value as dfe_peers,
        dfe_benchmarks.source as dfe_source,
        case
            when records_benchmarks.members_suppressed > 0 or not (records_benchmarks.denominator > 0) then null
            when compared_pairs.unit = 'percent'
                then round(100.0 * records_benchmarks.numerator / records_benchmarks.denominator, 4)
            else round(records_benchmarks.numerator / records_benchmarks.denominator, 4)
        end as records_value,
        records_benchmarks.peers_with_value as records_peers,
        records_benchmarks.members_suppressed,
        records_benchmarks.benchmark_members
    from compared_pairs
    left join dfe_benchmarks
        on compared_pairs.peer_group_id = dfe_benchmarks.peer_group_id
        and compared_pairs.geography_code = dfe_benchmarks.borough_code
        and compared_pairs.metric_id = dfe_benchmarks.metric_id
        and compared_pairs.period = dfe_benchmarks.period
        and compared_pairs.breakdown_type = dfe_benchmarks.breakdown_type
        and compared_pairs.breakdown_value = dfe_benchmarks.breakdown_value
    left join records_benchmarks
        on compared_pairs.peer_group_id = records_benchmarks.peer_group_id
        and compared_pairs.geography_code = records_benchmarks.borough_code
        and compared_pairs.metric_id = records_benchmarks.metric_id
        and compared_pairs.period = records_benchmarks.period
        and compared_pairs.breakdown_type = records_benchmarks.breakdown_type
        and compared_pairs.breakdown_value = records_benchmarks.breakdown_value
),

chosen as (
    select
        *,
        coalesce(dfe_value, records_value) as benchmark_value,
        case when dfe_value is not null then dfe_is_mean when records_value is not null then false end
            as benchmark_is_mean,
        case when dfe_value is not null then dfe_peers when records_value is not null then records_peers end
            as peers_with_value,
        case
            when dfe_value is not null then {{ fh_peer_benchmark_basis('dfe_is_mean', 'dfe_source') }}
            when records_value is not null then 'their own records pooled: ' || {{ borough_records_source() }}
            when members_suppressed > 0
                then 'no benchmark: a member''s figure is suppressed for disclosure control, and the group '
                    || 'figure would reveal it'
        end as benchmark_source,
        case when dfe_value is null and records_value is not null then benchmark_members end as records_members
    from joined
),

final as (
    select
        chosen.geography_code as borough_code,
        chosen.geography_name as borough_name,
        chosen.metric_id,
        chosen.metric_name,
        chosen.period,
        chosen.breakdown_type,
        chosen.breakdown_value,
        chosen.peer_group_id,
        chosen.peer_group_name,
        case when chosen.is_published_statistic then 'published' else 'borough_records' end as value_series,
        chosen.source,
        chosen.value,
        chosen.lower_95,
        chosen.upper_95,
        chosen.suppression_symbol,
        chosen.benchmark_value,
        chosen.benchmark_is_mean,
        cast(chosen.peers_in_group as integer) as peers_in_group,
        cast(chosen.peers_with_value as integer) as peers_with_value,
        case when chosen.benchmark_value is not null
                then cast(chosen.peers_with_value as varchar) || ' of ' || cast(chosen.peers_in_group as varchar)
                    || ' in ' || chosen.peer_group_name || ', ' || chosen.benchmark_source
            else chosen.benchmark_source
        end as benchmark_source,
        chosen.records_members as benchmark_members,
        {{ fh_compare_to_benchmark('chosen.lower_95', 'chosen.upper_95', 'chosen.benchmark_value', 'chosen.polarity') }}
            as compared_to_benchmark,
        'published' as dq_status,
        cast(null as varchar) as dq_reason,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        {{ fhub_run_id() }} as run_id
    from chosen
    -- pairs with a benchmark, or with one withheld for disclosure control (and saying so)
    where chosen.dfe_value is not null or chosen.records_peers is not null
)

select * from final
