{#- One row per computed metric × geography × period × breakdown with its value and confidence limits, as the
    metric definition says: percent = 100 × numerator / denominator with Wilson limits (95% and 99.8%); mean,
    points and days = numerator / denominator (normal limits when ci_method = normal); count = numerator, no
    limits. The DfE-published metrics (is_published_statistic, *_dfe_published) keep the published figure as
    their value; their limits come from the published counts where there are counts. The FSM gaps are derived
    here from FSM breakdown rows (not eligible minus eligible, percentage points; variance = the sum of the
    two): eyfs_gld_fsm_gap from eyfs_gld, gld_fsm_gap_dfe_published from gld_dfe_published - from counts
    wherever both components have counts, else from the two published percentages. A gap names both sources
    when its components come from different ones, carries the coarser precision, and is flagged
    is_mixed_precision when the two were published to different decimal places (e.g. before 2018/19:
    Fingertips' 1-dp eligible figure and LAIT's whole-number not-eligible one). is_provisional marks borough
    records of an EYFSP year DfE has not published GLD for yet (indicator_values and the GLD history read it
    from here). `value_variance` and `period_year` feed the trend. -#}
{%- set both_counted = '(not_fsm.numerator is not null and not_fsm.denominator > 0 '
    ~ 'and fsm.numerator is not null and fsm.denominator > 0)' %}
{%- set fsm_gaps = [('eyfs_gld', 'eyfs_gld_fsm_gap'), ('gld_dfe_published', 'gld_fsm_gap_dfe_published')] %}
with

counts as (
    select * from {{ ref('int_indicator_counts_rolled_up') }}
),

metrics as (
    select * from {{ ref('framework_metrics') }}
),

estimated as (
    select
        counts.* replace (
            -- a value recomputed here from counts carries the mart's 4 dp, a published figure its own
            case when counts.is_published_statistic
                    or (counts.reported_value is not null and coalesce(counts.denominator, 0) = 0)
                    then counts.source_precision_dp
                else {{ computed_precision_dp() }}
            end as source_precision_dp
        ),
        metrics.unit,
        metrics.polarity,
        metrics.ci_method,
        metrics.frequency,
        metrics.series_break_period,
        metrics.source_extract,
        case
            when counts.is_published_statistic then counts.reported_value
            when counts.reported_value is not null and (counts.denominator is null or counts.denominator = 0)
                then counts.reported_value
            when metrics.unit = 'count' then counts.numerator
            when counts.denominator > 0 and metrics.unit = 'percent' then 100.0 * counts.numerator / counts.denominator
            when counts.denominator > 0 then counts.numerator / counts.denominator
        end as raw_value,
        case
            when
                metrics.ci_method = 'wilson'
                then 100.0 * {{ fh_wilson_lower('counts.numerator', 'counts.denominator', 95) }}
            when
                metrics.ci_method = 'normal'
                then {{ fh_mean_lower('counts.numerator', 'counts.sum_of_squares', 'counts.denominator', 95) }}
        end as raw_lower_95,
        case
            when
                metrics.ci_method = 'wilson'
                then 100.0 * {{ fh_wilson_upper('counts.numerator', 'counts.denominator', 95) }}
            when
                metrics.ci_method = 'normal'
                then {{ fh_mean_upper('counts.numerator', 'counts.sum_of_squares', 'counts.denominator', 95) }}
        end as raw_upper_95,
        case
            when
                metrics.ci_method = 'wilson'
                then 100.0 * {{ fh_wilson_lower('counts.numerator', 'counts.denominator', 99.8) }}
            when
                metrics.ci_method = 'normal'
                then {{ fh_mean_lower('counts.numerator', 'counts.sum_of_squares', 'counts.denominator', 99.8) }}
        end as raw_lower_998,
        case
            when
                metrics.ci_method = 'wilson'
                then 100.0 * {{ fh_wilson_upper('counts.numerator', 'counts.denominator', 99.8) }}
            when
                metrics.ci_method = 'normal'
                then {{ fh_mean_upper('counts.numerator', 'counts.sum_of_squares', 'counts.denominator', 99.8) }}
        end as raw_upper_998,
        case
            when metrics.unit = 'percent' and counts.denominator > 0
                then 10000.0 * (counts.numerator / counts.denominator) * (1 - counts.numerator / counts.denominator)
                    / counts.denominator
            when metrics.ci_method = 'normal' and counts.denominator > 1
                then power({{ fh_mean_sd('counts.numerator', 'counts.sum_of_squares', 'counts.denominator') }}, 2)
                    / counts.denominator
        end as value_variance
    from counts
    inner join metrics
        on counts.metric_id = metrics.metric_id
        and metrics.status = 'computed'
),

fsm_gld as (
    select *
    from estimated
    where metric_id in (
            {% for component, gap in fsm_gaps %}'{{ component }}'{% if not loop.last %},
            {% endif %}{% endfor %}
        )
        and breakdown_type = 'fsm'
),

fsm_gap as (
    {%- for component, gap in fsm_gaps %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ gap }}' as metric_id,
        not_fsm.geography_level,
        not_fsm.geography_code,
        not_fsm.borough_code,
        not_fsm.hub_id,
        not_fsm.period,
        'total' as breakdown_type,
        'total' as breakdown_value,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        cast(null as double) as sum_of_squares,
        cast(null as double) as reported_value,
        coalesce(not_fsm.is_published_statistic, false) as is_published_statistic,
        gap_metric.unit,
        gap_metric.polarity,
        gap_metric.ci_method,
        gap_metric.frequency,
        gap_metric.series_break_period,
        gap_metric.source_extract,
        case when {{ both_counted }}
                then 100.0 * not_fsm.numerator / not_fsm.denominator - 100.0 * fsm.numerator / fsm.denominator
            else not_fsm.raw_value - fsm.raw_value
        end as raw_value,
        cast(null as double) as raw_lower_95,
        cast(null as double) as raw_upper_95,
        cast(null as double) as raw_lower_998,
        cast(null as double) as raw_upper_998,
        not_fsm.value_variance + fsm.value_variance as value_variance,
        least(not_fsm.denominator, fsm.denominator) as smallest_component_denominator,
        least(
            not_fsm.numerator, fsm.numerator, not_fsm.denominator - not_fsm.numerator,
            fsm.denominator - fsm.numerator
        ) as smallest_component_count,
        {{ fsm_gap_source('not_fsm.source', 'fsm.source') }} as source,
        case when {{ both_counted }} then {{ computed_precision_dp() }}
            else least(not_fsm.source_precision_dp, fsm.source_precision_dp)
        end as source_precision_dp,
        not coalesce({{ both_counted }}, false)
        and coalesce(not_fsm.source_precision_dp <> fsm.source_precision_dp, false) as is_mixed_precision,
        not_fsm.boroughs_covered
    from fsm_gld as not_fsm
    inner join fsm_gld as fsm
        on not_fsm.metric_id = fsm.metric_id
        and not_fsm.geography_level = fsm.geography_level
        and not_fsm.geography_code = fsm.geography_code
        and not_fsm.period = fsm.period
        and not_fsm.breakdown_value = 'not_fsm_eligible'
        and fsm.breakdown_value = 'fsm_eligible'
    inner join (  -- noqa: ST05
        select * from metrics
        where metric_id = '{{ gap }}'
    ) as gap_metric
        on true
    where not_fsm.metric_id = '{{ component }}'
    {%- endfor %}
),

combined as (
    select
        *,
        cast(null as double) as smallest_component_denominator,
        cast(null as double) as smallest_component_count,
        false as is_mixed_precision
    from estimated
    union all by name
    select * from fsm_gap
),

-- the areas and years DfE has published GLD for (gld_dfe_published, from int_published_indicators_mapped)
dfe_gld_years as (
    select geography_code, period
    from counts
    where metric_id = 'gld_dfe_published' and breakdown_type = 'total'
),

-- borough records of an EYFSP year DfE has not published yet for the area (London for the participating
-- boroughs' aggregate): the official figure is still to come
provisional as (
    select
        combined.*,
        coalesce(
            combined.source = {{ borough_records_source() }}
            and combined.source_extract like '%fct_eyfsp_results%'
            and dfe_gld_years.period is null,
            false
        ) as is_provisional
    from combined
    left join dfe_gld_years
        on combined.period = dfe_gld_years.period
        and dfe_gld_years.geography_code = case combined.geography_level
            when {{ participating_boroughs_level() }} then 'E12000007'
            else coalesce(combined.borough_code, combined.geography_code)
        end
),

final as (
    select
        metric_id,
        geography_level,
        geography_code,
        borough_code,
        hub_id,
        period,
        breakdown_type,
        breakdown_value,
        numerator,
        denominator,
        coalesce(is_published_statistic, false) as is_published_statistic,
        round(raw_value, 4) as value,
        round(raw_lower_95, 4) as lower_95,
        round(raw_upper_95, 4) as upper_95,
        round(raw_lower_998, 4) as lower_998,
        round(raw_upper_998, 4) as upper_998,
        value_variance,
        smallest_component_denominator,
        smallest_component_count,
        source,
        cast(source_precision_dp as integer) as source_precision_dp,
        is_provisional,
        is_mixed_precision,
        cast(boroughs_covered as integer) as boroughs_covered,
        unit,
        polarity,
        frequency,
        case when frequency in ('academic_year', 'financial_year') then {{ period_start_year('period') }} end
            as period_year,
        {{ period_start_year('series_break_period') }} as series_break_year
    from provisional
)

select * from final
