{#- One row per metric × geography × period × breakdown, after
    disclosure control. Primary suppression by the thresholds of var disclosure_view (macros/stats/disclosure.sql);
    secondary suppression, repeated until stable for the cases we know (var disclosure_secondary_rounds, 6: national-scale demo data needed more than 3): across sibling breakdown values
    (they add up to the total row), across hubs within a borough and across boroughs within London (they add up to
    the borough / London row; authorities outside London have no region total to protect); the FSM gap goes when either FSM GLD cell goes. Suppressed cells keep their row but
    lose every figure derived from them and carry the GSS symbol `c`; a value that could not be computed carries
    `x`. DfE's own published statistics (is_published_statistic: the *_dfe_published metrics) are never
    suppressed: DfE publishes them unsuppressed at local-authority level, so showing them discloses nothing
    that is not already public, and suppressing them would break agreement with the source. -#}
{%- set rounds = var('disclosure_secondary_rounds', 6) -%}

with

unsuppressed as (
    select * from {{ ref('fct_indicator_values_unsuppressed') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

{# Disclosure control runs on a narrow copy of the cells (the grain, what the rules read, the flag), and the
    rounds of secondary suppression partition and order by integers standing for the groups and tie-breaks
    (dense ranks: equal tuples, equal numbers, same order). Twelve windows partitioned by five or six text
    columns, carrying every figure, took ~6 s for 0.2 M cells at London scale. The figures are joined back
    once, on the grain. #}
cells as (
    select
        metric_id,
        geography_level,
        geography_code,
        period,
        breakdown_type,
        breakdown_value,
        not coalesce(is_published_statistic, false)
        and {{ fh_primary_suppression('numerator', 'denominator', 'unit', 'smallest_component_count',
                                          'smallest_component_denominator') }} as is_suppressed,
        -- hubs add up to their borough; boroughs to their region (London). Authorities outside London have
        -- no region here and no published total sums them, so they have no parent.
        case when geography_level = 'hub' then borough_code
            when geography_level = 'borough' then (
                select boroughs.region_code from boroughs
                where boroughs.borough_code = unsuppressed.geography_code
            )
        end as parent_geography_code,
        coalesce(denominator, numerator) as cell_size,
        -- sibling breakdown values add up to the total row
        breakdown_type <> 'total' and unit <> 'percentage_points' and not coalesce(is_published_statistic, false)
            as in_breakdown_scope,
        -- hubs add up to their borough, boroughs to London
        geography_level in ('hub', 'borough') and unit <> 'percentage_points'
        and not coalesce(is_published_statistic, false) as in_geography_scope
    from unsuppressed
),

flagged_0 as (
    select
        *,
        dense_rank() over (order by metric_id, geography_level, geography_code, period, breakdown_type)
            as breakdown_group,
        dense_rank() over (
            order by metric_id, geography_level, parent_geography_code, period, breakdown_type, breakdown_value
        ) as geography_group,
        dense_rank() over (order by breakdown_value) as breakdown_value_order,
        dense_rank() over (order by geography_code) as geography_code_order
    from cells
),

{% for i in range(rounds) %}
across_breakdowns_{{ i }} as (
    {{ fh_secondary_suppression('flagged_' ~ i, 'is_suppressed', ['breakdown_group'], 'cell_size',
                                'breakdown_value_order', 'in_breakdown_scope') }}
),

flagged_{{ i + 1 }} as (
    {{ fh_secondary_suppression('across_breakdowns_' ~ i, 'is_suppressed', ['geography_group'], 'cell_size',
                                'geography_code_order', 'in_geography_scope') }}
),
{% endfor %}

fsm_cells_suppressed as (
    select geography_level, geography_code, period
    from flagged_{{ rounds }}
    where metric_id = 'eyfs_gld' and breakdown_type = 'fsm'
        and breakdown_value in ('fsm_eligible', 'not_fsm_eligible') and is_suppressed
    group by all
),

flagged as (
    select
        unsuppressed.*,
        flagged_{{ rounds }}.is_suppressed
        or (unsuppressed.metric_id = 'eyfs_gld_fsm_gap' and fsm_cells_suppressed.period is not null)
            as is_suppressed
    from unsuppressed
    -- one row per grain (the model's unique key), so the join neither drops nor repeats a cell
    inner join flagged_{{ rounds }}
        on unsuppressed.metric_id is not distinct from flagged_{{ rounds }}.metric_id
        and unsuppressed.geography_level is not distinct from flagged_{{ rounds }}.geography_level
        and unsuppressed.geography_code is not distinct from flagged_{{ rounds }}.geography_code
        and unsuppressed.period is not distinct from flagged_{{ rounds }}.period
        and unsuppressed.breakdown_type is not distinct from flagged_{{ rounds }}.breakdown_type
        and unsuppressed.breakdown_value is not distinct from flagged_{{ rounds }}.breakdown_value
    left join fsm_cells_suppressed
        on unsuppressed.geography_level = fsm_cells_suppressed.geography_level
        and unsuppressed.geography_code = fsm_cells_suppressed.geography_code
        and unsuppressed.period = fsm_cells_suppressed.period
),

final as (
    select
        metric_id,
        metric_name,
        domain,
        layer,
        geography_level,
        geography_code,
        geography_name,
        period,
        breakdown_type,
        breakdown_value,
        case when not is_suppressed then numerator end as numerator,
        case when not is_suppressed then denominator end as denominator,
        case when not is_suppressed then value end as value,
        case when not is_suppressed then lower_95 end as lower_95,
        case when not is_suppressed then upper_95 end as upper_95,
        case when not is_suppressed then lower_998 end as lower_998,
        case when not is_suppressed then upper_998 end as upper_998,
        source,
        source_precision_dp,
        is_provisional,
        is_mixed_precision,
        is_series_break,
        london_value,
        london_benchmark,
        england_value,
        england_benchmark,
        neighbours_value,
        neighbours_value_is_mean,
        neighbours_benchmark,
        case when not is_suppressed then compared_to_london end as compared_to_london,
        case when not is_suppressed then compared_to_england end as compared_to_england,
        case when not is_suppressed then compared_to_neighbours end as compared_to_neighbours,
        case when not is_suppressed then trend end as trend,
        target_value,
        case when is_suppressed then 'c' when value is null then 'x' end as suppression_symbol,
        dq_status,
        dq_reason,
        framework_version,
        run_id
    from flagged
)

select * from final
