{#- One row per geography (London borough, London, the participating boroughs' aggregate) × academic year ×
    series of GLD history, with the FSM gap over time. Two explicit series, never spliced silently: DfE's
    published figures (series published, official) and the boroughs' own records (series borough_records,
    the latest years provisional). projection_basis says which the verdict and projection use:
      published                  DfE's series (a London borough or London with DfE figures);
      published+borough_records  DfE's series continued by the borough's own records for the years DfE has not
                                 published yet - only when every year with both reconciles (fct_gld_reconciliation,
                                 reconciles_with_dfe_gld: pass);
      borough_records            the records alone (the participating boroughs' aggregate, or no DfE series).
    The latest row of that basis (is_latest) carries the tracker: target (75% by default; local targets from
    seeds/targets), gap, required annual change, a projection to the target year from the post-reform rows of
    the basis (ordinary least squares over 2021/22 onwards - the reform is a break) with a 95% prediction
    interval clamped to 0-100, and the verdict: on-track (interval above the target), off-track (below),
    uncertain (spans it, or fewer than 3 post-reform years and not yet at target). -#}
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

geographies as (
    select
        geography_level,
        geography_code,
        max(academic_year) filter (where series = 'published' and gld_value is not null) as last_published_year,
        max(academic_year) filter (where series = 'borough_records' and gld_value is not null) as last_records_year,
        count(*) filter (where series = 'published' and is_post_reform and gld_value is not null)
            as published_post_reform_years,
        count(*) filter (where reconciliation_status in ('pass', 'fail')) as reconciled_years_checked,
        count(*) filter (where reconciliation_status = 'fail') as reconciled_years_failed
    from history
    group by all
),

bases as (
    select
        *,
        case
            when published_post_reform_years = 0 and last_records_year is not null then 'borough_records'
            when last_records_year > last_published_year
                and reconciled_years_checked > 0 and reconciled_years_failed = 0
                then 'published+borough_records'
            when last_published_year is not null then 'published'
            else 'borough_records'
        end as projection_basis
    from geographies
),

with_basis as (
    select
        history.*,
        bases.projection_basis,
        bases.last_published_year,
        bases.last_records_year,
        bases.reconciled_years_failed,
        bases.reconciled_years_checked,
        (history.series = 'published' and bases.projection_basis like 'published%')
        or (
            history.series = 'borough_records'
            and (
                bases.projection_basis = 'borough_records'
                or (
                    bases.projection_basis = 'published+borough_records'
                    and history.academic_year > bases.last_published_year
                )
            )
        ) as is_basis_row
    from history
    inner join bases
        on history.geography_level = bases.geography_level and history.geography_code = bases.geography_code
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
    from with_basis
    where is_basis_row and is_post_reform and gld_value is not null
    group by all
),

residuals as (
    select
        with_basis.geography_level,
        with_basis.geography_code,
        sum(power(with_basis.gld_value - (fit.intercept + fit.slope * with_basis.start_year), 2)) as sse
    from with_basis
    inner join post_reform_fit as fit
        on with_basis.geography_level = fit.geography_level and with_basis.geography_code = fit.geography_code
    where with_basis.is_basis_row and with_basis.is_post_reform and with_basis.gld_value is not null
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
    from with_basis
    where is_basis_row and gld_value is not null
    group by all
),

joined as (
    select
        with_basis.*,
        coalesce(with_basis.is_basis_row and with_basis.academic_year = latest.latest_year, false) as is_latest,
        with_basis.is_basis_row and with_basis.is_post_reform and with_basis.gld_value is not null
            as is_in_projection,
        targets.target_value,
        targets.target_year,
        targets.target_source,
        projections.trend_points,
        projections.slope,
        -- a percentage lies in 0-100: the projection and its interval are clamped there (null stays null:
        -- greatest() and least() skip nulls)
        {{ fh_clamp_percent('projections.projected_value') }} as projected_value,
        {{ fh_clamp_percent('projections.projected_value - projections.half_width') }} as projection_lower,
        {{ fh_clamp_percent('projections.projected_value + projections.half_width') }} as projection_upper,
        projections.half_width
    from with_basis
    left join latest
        on with_basis.geography_level = latest.geography_level and with_basis.geography_code = latest.geography_code
    left join targets
        on with_basis.geography_level = targets.geography_level and with_basis.geography_code = targets.geography_code
    left join projections
        on with_basis.geography_level = projections.geography_level
        and with_basis.geography_code = projections.geography_code
),

described as (
    select
        *,
        case projection_basis
            when 'published' then 'projection from DfE''s published GLD'
            when 'published+borough_records'
                then 'projection from DfE''s published GLD, continued by the borough''s own records from '
                    || {{ academic_year_after('last_published_year') }}
                    || ', which reconcile with DfE in every year both exist'
            when 'borough_records' then
                case when geography_level = 'borough' then 'projection from the borough''s own records (no DfE series)'
                    else 'projection from the participating boroughs'' own records'
                end
        end
        || case when projection_basis = 'published' and last_records_year > last_published_year
                then case when reconciled_years_failed > 0
                            then '; the borough''s own records for later years are not used: they do not reconcile '
                                || 'with DfE''s figures (dq_check_results: reconciles_with_dfe_gld)'
                        else '; the borough''s own records for later years are not used: no year with both to '
                            || 'reconcile them'
                    end
            else ''
        end as basis_note
    from joined
),

final as (
    select
        described.geography_level,
        described.geography_code,
        case described.geography_level
            when 'region' then 'London'
            when {{ participating_boroughs_level() }}
                then {{ participating_boroughs_name('described.boroughs_covered') }}
            else boroughs.borough_name
        end as geography_name,
        described.academic_year,
        described.series,
        described.source,
        described.source_precision_dp,
        described.is_provisional,
        described.is_post_reform,
        described.academic_year = '2021/22' as is_series_break,
        described.reconciliation_status,
        described.is_in_projection,
        described.is_latest,
        described.projection_basis,
        round(described.gld_value, 4) as gld_value,
        described.gld_numerator,
        described.gld_denominator,
        described.fsm_gap_pp,
        described.fsm_gap_source,
        described.fsm_gap_is_mixed_precision,
        case when described.is_latest then described.target_value end as target_value,
        case when described.is_latest then described.target_year end as target_year,
        case when described.is_latest then described.target_source end as target_source,
        case when described.is_latest then round(described.target_value - described.gld_value, 4) end
            as gap_to_target_pp,
        case when described.is_latest then {{ target_start_year }} - described.start_year end as years_to_target,
        case when described.is_latest then round({{ fh_required_annual_change('described.target_value',
                                                  'described.gld_value', target_start_year,
                                                  'described.start_year') }}, 4) end
            as required_annual_change_pp,
        case when described.is_latest and described.is_post_reform then described.trend_points end as trend_points,
        -- a slope needs two years: over one, regr_slope is NaN, not a figure
        case when described.is_latest and described.is_post_reform and described.trend_points >= 2
                then round(described.slope, 4)
        end as trend_slope_pp_per_year,
        case when described.is_latest and described.is_post_reform and described.trend_points >= 2
                then round(described.projected_value, 4)
        end as projected_value,
        case when described.is_latest and described.is_post_reform then round(described.projection_lower, 4) end
            as projection_lower_95,
        case when described.is_latest and described.is_post_reform then round(described.projection_upper, 4) end
            as projection_upper_95,
        case
            when not described.is_latest then null
            when described.target_value is null then 'uncertain'
            when described.half_width is null
                then
                    case when described.gld_value >= described.target_value then 'on-track' else 'uncertain' end
            when described.projection_lower >= described.target_value then 'on-track'
            when described.projection_upper < described.target_value then 'off-track'
            else 'uncertain'
        end as verdict,
        case
            when not described.is_latest then null
            when described.target_value is null then 'no target'
            when not described.is_post_reform then 'latest figure predates the 2021/22 reform; no post-reform trend'
            when described.half_width is null and described.gld_value >= described.target_value
                then 'already at or above the target; fewer than 3 post-reform years for a projection ('
                    || described.basis_note || ')'
            when described.half_width is null
                then 'fewer than 3 post-reform years: no projection interval (' || described.basis_note || ')'
            when described.projection_lower >= described.target_value
                then 'whole 95% projection interval at or above the target (' || described.basis_note || ')'
            when described.projection_upper < described.target_value
                then 'whole 95% projection interval below the target (' || described.basis_note || ')'
            else '95% projection interval spans the target (' || described.basis_note || ')'
        end as verdict_reason,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        {{ fhub_run_id() }} as run_id
    from described
    left join boroughs
        on described.geography_level = 'borough' and described.geography_code = boroughs.borough_code
)

select * from final
