-- Every figure the tracker publishes is a number: never NaN or infinite (a trend slope over a single year is
-- NaN in regr_slope, so the slope needs two years, like the projection).
with

tracker as (
    select * from {{ ref('fct_gld_target_tracker') }}
),

not_finite as (
    select geography_code, series, academic_year
    from tracker
    where not isfinite(coalesce(gld_value, 0))
        or not isfinite(coalesce(trend_slope_pp_per_year, 0))
        or not isfinite(coalesce(projected_value, 0))
        or not isfinite(coalesce(projection_lower_95, 0))
        or not isfinite(coalesce(projection_upper_95, 0))
        or not isfinite(coalesce(required_annual_change_pp, 0))
)

select * from not_finite
