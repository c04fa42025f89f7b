{#- One row per geography (London borough, London) × academic year of
    GLD history (real published figures where they exist, else pupil-level), with the FSM gap over time. On the
    latest year's row (is_latest): the target (75% by default, local targets from seeds/targets), the gap, the
    required annual change to reach the target in the target year, a projection to the target year from the
    geography's own post-reform trend (ordinary least squares over 2021/22 onwards - the 2021/22 reform is a
    break, earlier years never enter) with a 95% prediction interval, and the verdict:
    on-track (interval above the target), off-track (interval below), uncertain (interval spans the target, or
    fewer than 3 post-reform years and not yet at target). -#}
{%- set target_start_year = var('gld_target_year', '2027/28')[:4] | int -%}

with

history as (
    select * from {{ ref('int_gld_history_combined') }}
),

targets as (
    select * from {{ ref('int_gld_targets_resolved') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

post_reform_fit as (
    select
        geography_level,
        geography_code,
        count(*) as trend_points,
        avg(start_year) as mean_year,
        regr_slope(gld_value, start_year) as slope,
        regr_intercept(gld_value, start_year) as intercept,
        regr_sxx(gld_value, start_year) as sxx
    from history
    where is_post_reform and gld_value is not null
    group by all
),

residuals as (
    select
        history.geography_level,
        history.geography_code,
        sum(power(history.gld_value - (fit.intercept + fit.slope * history.start_year), 2)) as sse
    from history
    inner join post_reform_fit as fit
        on history.geography_level = fit.geography_level and history.geography_code = fit.geography_code
    where history.is_post_reform and history.gld_value is not null
    group by all
),

projections as (
    select
        fit.geography_level,
        fit.geography_code,
        fit.trend_points,
        fit.slope,
        fit.intercept + fit.slope * {{ target_start_year }} as projected_value,
        case when fit.trend_points >= 3 and fit.sxx > 0 then
                {{ fh_t_975('fit.trend_points - 2') }}
                * sqrt(residuals.sse / (fit.trend_points - 2))
                * sqrt(1 + 1.0 / fit.trend_points + power({{ target_start_year }} - fit.mean_year, 2) / fit.sxx)
        end as half_width
    from post_reform_fit as fit
    inner join residuals
        on fit.geography_level = residuals.geography_level and fit.geography_code = residuals.geography_code
),

latest as (
    select geography_level, geography_code, max(academic_year) as latest_year
    from history
    where gld_value is not null
    group by all
),

joined as (
    select
        history.*,
        history.academic_year = latest.latest_year as is_latest,
        targets.target_value,
        targets.target_year,
        targets.target_source,
        projections.trend_points,
        projections.slope,
        projections.projected_value,
        projections.half_width
    from history
    inner join latest
        on history.geography_level = latest.geography_level and history.geography_code = latest.geography_code
    left join targets
        on history.geography_level = targets.geography_level and history.geography_code = targets.geography_code
    left join projections
        on history.geography_level = projections.geography_level
        and history.geography_code = projections.geography_code
),

final as (
    select
        joined.geography_level,
        joined.geography_code,
        case when joined.geography_level = 'region' then 'London' else boroughs.borough_name end as geography_name,
        joined.academic_year,
        joined.is_post_reform,
        joined.is_latest,
        round(joined.gld_value, 4) as gld_value,
        joined.gld_numerator,
        joined.gld_denominator,
        joined.gld_source,
        joined.fsm_gap_pp,
        joined.fsm_gap_source,
        case when joined.is_latest then joined.target_value end as target_value,
        case when joined.is_latest then joined.target_year end as target_year,
        case when joined.is_latest then joined.target_source end as target_source,
        case when joined.is_latest then round(joined.target_value - joined.gld_value, 4) end as gap_to_target_pp,
        case when joined.is_latest then {{ target_start_year }} - joined.start_year end as years_to_target,
        case when joined.is_latest then round({{ fh_required_annual_change('joined.target_value', 'joined.gld_value',
                                                  target_start_year, 'joined.start_year') }}, 4) end
            as required_annual_change_pp,
        case when joined.is_latest and joined.is_post_reform then joined.trend_points end as trend_points,
        case when joined.is_latest and joined.is_post_reform then round(joined.slope, 4) end as trend_slope_pp_per_year,
        case when joined.is_latest and joined.is_post_reform and joined.trend_points >= 2
                then round(joined.projected_value, 4)
        end as projected_value,
        case
            when joined.is_latest and joined.is_post_reform then round(joined.projected_value - joined.half_width, 4)
        end
            as projection_lower_95,
        case
            when joined.is_latest and joined.is_post_reform then round(joined.projected_value + joined.half_width, 4)
        end
            as projection_upper_95,
        case
            when not joined.is_latest then null
            when joined.target_value is null then 'uncertain'
            when joined.half_width is null
                then
                    case when joined.gld_value >= joined.target_value then 'on-track' else 'uncertain' end
            when joined.projected_value - joined.half_width >= joined.target_value then 'on-track'
            when joined.projected_value + joined.half_width < joined.target_value then 'off-track'
            else 'uncertain'
        end as verdict,
        case
            when not joined.is_latest then null
            when joined.target_value is null then 'no target'
            when not joined.is_post_reform then 'latest figure predates the 2021/22 reform; no post-reform trend'
            when joined.half_width is null and joined.gld_value >= joined.target_value
                then 'already at or above the target; fewer than 3 post-reform years for a projection'
            when joined.half_width is null then 'fewer than 3 post-reform years: no projection interval'
            when joined.projected_value - joined.half_width >= joined.target_value
                then 'whole 95% projection interval at or above the target'
            when joined.projected_value + joined.half_width < joined.target_value
                then 'whole 95% projection interval below the target'
            else '95% projection interval spans the target'
        end as verdict_reason,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        '{{ env_var("FHUB_RUN_ID", "dev") }}' as run_id
    from joined
    left join boroughs
        on joined.geography_level = 'borough' and joined.geography_code = boroughs.borough_code
)

select * from final
