{#- PUBLIC (published as indicator_values): one row per metric × geography × period × breakdown, after
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

flagged_0 as (
    select
        *,
        not coalesce(is_published_statistic, false)
            and {{ fh_primary_suppression('numerator', 'denominator', 'unit', 'smallest_component_count',
                                          'smallest_component_denominator') }} as is_suppressed,
        -- hubs add up to their borough; boroughs to their region (London). Authorities outside London have
        -- no region here and no published total sums them, so they have no parent.
        case when geography_level = 'hub' then borough_code
             when geography_level = 'borough' then (
                 select boroughs.region_code from boroughs where boroughs.borough_code = unsuppressed.geography_code)
        end as parent_geography_code,
        coalesce(denominator, numerator) as cell_size
    from unsuppressed
),

{% for i in range(rounds) %}
across_breakdowns_{{ i }} as (
    {{ fh_secondary_suppression('flagged_' ~ i, 'is_suppressed',
        ['metric_id', 'geography_level', 'geography_code', 'period', 'breakdown_type'],
        'cell_size', 'breakdown_value', "breakdown_type <> 'total' and unit <> 'percentage_points' and not coalesce(is_published_statistic, false)") }}
),

flagged_{{ i + 1 }} as (
    {{ fh_secondary_suppression('across_breakdowns_' ~ i, 'is_suppressed',
        ['metric_id', 'geography_level', 'parent_geography_code', 'period', 'breakdown_type', 'breakdown_value'],
        'cell_size', 'geography_code',
        "geography_level in ('hub', 'borough') and unit <> 'percentage_points'"
        ~ " and not coalesce(is_published_statistic, false)") }}
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
        flagged_{{ rounds }}.* exclude (is_suppressed),
        flagged_{{ rounds }}.is_suppressed
            or (flagged_{{ rounds }}.metric_id = 'eyfs_gld_fsm_gap' and fsm_cells_suppressed.period is not null)
            as is_suppressed
    from flagged_{{ rounds }}
    left join fsm_cells_suppressed
        on flagged_{{ rounds }}.geography_level = fsm_cells_suppressed.geography_level
        and flagged_{{ rounds }}.geography_code = fsm_cells_suppressed.geography_code
        and flagged_{{ rounds }}.period = fsm_cells_suppressed.period
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
        london_value,
        england_value,
        case when not is_suppressed then compared_to_london end as compared_to_london,
        case when not is_suppressed then compared_to_england end as compared_to_england,
        case when not is_suppressed then trend end as trend,
        target_value,
        case when is_suppressed then 'c' when value is null then 'x' end as suppression_symbol,
        dq_status,
        framework_version,
        run_id
    from flagged
)

select * from final
