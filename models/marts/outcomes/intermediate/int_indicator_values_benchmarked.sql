{#- One row per computed metric × geography × period × breakdown with its benchmarks - London, England and the
    borough's DfE statistical neighbours - each named (london_benchmark, england_benchmark,
    neighbours_benchmark: which figure, from which source), the Fingertips comparison with each (the area's
    95% interval against the benchmark's point value, turned into better/worse by polarity) and the GLD target.
    london_value is DfE's published London figure where DfE publishes the measure for that year and
    breakdown; otherwise the participating boroughs' aggregate from their records (LONDON_PARTICIPATING, a
    partial London - london_benchmark says so). england_value is DfE's published England figure. A
    borough-records metric with a DfE equivalent (eyfs_gld, ...) is benchmarked against DfE's figures of the
    same measure, and its benchmark names them. The statistical neighbours' figure is pooled from their
    published counts where every neighbour has counts, else the mean of their published percentages
    (neighbours_value_is_mean; int_peer_benchmarks_pooled). -#}
with

values_trended as (
    select * from {{ ref('int_indicator_values_trended') }}
),

peer_benchmarks as (
    select * from {{ ref('int_peer_benchmarks_pooled') }}
),

targets as (
    select * from {{ ref('int_gld_targets_resolved') }}
),

-- DfE's own London and England figures, filed under the DfE metric and its borough-records twin
dfe_area_figures as (
    select metric_id, geography_level, period, breakdown_type, breakdown_value, value, source
    from values_trended
    where is_published_statistic
        and (
            (geography_level = 'region' and geography_code = 'E12000007')
            or (geography_level = 'country' and geography_code = 'E92000001')
        )
),

dfe_benchmarks as (
    select * from dfe_area_figures
    union all
    select
        * replace (
            case metric_id
                {%- for measure, records_metric, dfe_metric in dfe_measure_metrics() %}
                when '{{ dfe_metric }}' then '{{ records_metric }}'
                {%- endfor %}
            end as metric_id
        )
    from dfe_area_figures
),

london_published as (
    select * from dfe_benchmarks
    where geography_level = 'region'
),

england_published as (
    select * from dfe_benchmarks
    where geography_level = 'country'
),

london_participating as (
    select * from values_trended
    where geography_level = {{ participating_boroughs_level() }}
),

neighbours as (
    select * from peer_benchmarks
    where peer_group_id = 'statistical_neighbours'
),

joined as (
    select
        values_trended.*,
        coalesce(london_published.value, london_participating.value) as london_value,
        case when london_published.value is not null then 'published' when london_participating.value is not null
                then 'participating_boroughs'
        end as london_value_source,
        case
            when london_published.value is not null then 'London: ' || london_published.source
            when london_participating.value is not null
                then
                    {{ participating_boroughs_name('london_participating.boroughs_covered') }} || ': '
                    || london_participating.source
        end as london_benchmark,
        england_published.value as england_value,
        case when england_published.value is not null then 'England: ' || england_published.source end
            as england_benchmark,
        neighbours.benchmark_value as neighbours_value,
        neighbours.is_mean_of_values as neighbours_value_is_mean,
        case when neighbours.benchmark_value is not null
                then cast(neighbours.peers_with_value as varchar)
                    || ' of '
                    || cast(neighbours.peers_in_group as varchar)
                    || ' statistical neighbours (DfE {{ var('statistical_neighbours_model', 2025) }} model), '
                    || {{ fh_peer_benchmark_basis('neighbours.is_mean_of_values', 'neighbours.source') }}
        end as neighbours_benchmark,
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
    left join london_participating
        on values_trended.metric_id = london_participating.metric_id
        and values_trended.period = london_participating.period
        and values_trended.breakdown_type = london_participating.breakdown_type
        and values_trended.breakdown_value = london_participating.breakdown_value
    left join england_published
        on values_trended.metric_id = england_published.metric_id
        and values_trended.period = england_published.period
        and values_trended.breakdown_type = england_published.breakdown_type
        and values_trended.breakdown_value = england_published.breakdown_value
    left join neighbours
        on values_trended.geography_level = 'borough'
        and values_trended.geography_code = neighbours.borough_code
        and values_trended.metric_id = neighbours.metric_id
        and values_trended.period = neighbours.period
        and values_trended.breakdown_type = neighbours.breakdown_type
        and values_trended.breakdown_value = neighbours.breakdown_value
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
        case when geography_level in ('hub', 'borough', 'region', 'participating_boroughs')
                then {{ fh_compare_to_benchmark('lower_95', 'upper_95', 'england_value', 'polarity') }}
        end
            as compared_to_england,
        case when geography_level = 'borough'
                then {{ fh_compare_to_benchmark('lower_95', 'upper_95', 'neighbours_value', 'polarity') }}
        end
            as compared_to_neighbours
    from joined
)

select * from final
