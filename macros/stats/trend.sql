{#-
  Fingertips "recent trend", break-aware.

  fh_recent_trend(source, partition_by, year_col, value_col, variance_col, polarity_col, break_year_col)
  returns a SELECT over `source` (a relation or CTE name) adding:
    trend_points, trend_slope, trend_chi_square, trend
  For each row the series is the row itself and the 4 rows before it in the same partition; the trend is
  tested only when all 5 are annual, consecutive (no missing year), on the same side of the series break
  (year >= break year; null break = no break) and every point has a positive variance (so numerators and
  denominators exist). Inverse-variance weighted least-squares slope b with var(b) = Sw / (Sw*Swxx - Swx^2);
  significant when chi-square = b^2 / var(b) > 9.5495 (99.8%, 1 df).
  Labels: increasing / decreasing, followed by "and getting better|worse" by polarity (plain for
  no_judgement); "no significant change"; "could not be calculated".
-#}
{% macro fh_trend_chi_square_threshold() -%}9.5495{%- endmacro %}

{% macro fh_recent_trend(source, partition_by, year_col, value_col, variance_col, polarity_col, break_year_col) -%}
{%- set parts = partition_by | join(', ') -%}
with trend_input as (
    select
        *,
        case when {{ break_year_col }} is not null and {{ year_col }} < {{ break_year_col }}
             then 'before_break' else 'current_series' end as _trend_segment,
        case when {{ variance_col }} > 0 then 1.0 / {{ variance_col }} end as _trend_weight
    from {{ source }}
),

trend_windows as (
    select
        *,
        count(*) over w as _n,
        count(_trend_weight) over w as _n_weighted,
        min({{ year_col }}) over w as _first_year,
        sum(_trend_weight) over w as _sw,
        sum(_trend_weight * {{ year_col }}) over w as _swx,
        sum(_trend_weight * {{ year_col }} * {{ year_col }}) over w as _swxx,
        sum(_trend_weight * {{ value_col }}) over w as _swy,
        sum(_trend_weight * {{ year_col }} * {{ value_col }}) over w as _swxy
    from trend_input
    window w as (
        partition by {{ parts }}, _trend_segment
        order by {{ year_col }}
        rows between 4 preceding and current row
    )
),

trend_fitted as (
    select
        *,
        case
            when _n = 5 and _n_weighted = 5 and {{ year_col }} - _first_year = 4
                 and (_sw * _swxx - _swx * _swx) > 0
            then (_sw * _swxy - _swx * _swy) / (_sw * _swxx - _swx * _swx)
        end as trend_slope,
        case
            when _n = 5 and _n_weighted = 5 and {{ year_col }} - _first_year = 4
                 and (_sw * _swxx - _swx * _swx) > 0
            then _sw / (_sw * _swxx - _swx * _swx)
        end as _slope_variance
    from trend_windows
)

select
    * exclude (_trend_segment, _trend_weight, _n, _n_weighted, _first_year, _sw, _swx, _swxx, _swy, _swxy,
               _slope_variance),
    -- only annual points form a series; a row without a year (a quarterly metric) has none. Its window
    -- would order rows that all tie on a null year, so _n would depend on the physical row order.
    case when {{ year_col }} is not null then _n end as trend_points,
    power(trend_slope, 2) / _slope_variance as trend_chi_square,
    case
        when trend_slope is null then 'could not be calculated'
        when power(trend_slope, 2) / _slope_variance <= {{ fh_trend_chi_square_threshold() }}
            then 'no significant change'
        when trend_slope > 0 then
            case {{ polarity_col }} when 'high_is_good' then 'increasing and getting better'
                                    when 'low_is_good' then 'increasing and getting worse'
                                    else 'increasing' end
        else
            case {{ polarity_col }} when 'high_is_good' then 'decreasing and getting worse'
                                    when 'low_is_good' then 'decreasing and getting better'
                                    else 'decreasing' end
    end as trend
from trend_fitted
{%- endmacro %}

{#- Two-sided 95% Student t quantile for small degrees of freedom (projection intervals); 1.96 beyond 30. -#}
{% macro fh_t_975(df) -%}
    case ({{ df }})
        when 1 then 12.7062 when 2 then 4.3027 when 3 then 3.1824 when 4 then 2.7764 when 5 then 2.5706
        when 6 then 2.4469 when 7 then 2.3646 when 8 then 2.3060 when 9 then 2.2622 when 10 then 2.2281
        else case when ({{ df }}) > 10 and ({{ df }}) <= 30 then 2.0423 + 0.186 * (30 - ({{ df }})) / 20.0
                  when ({{ df }}) > 30 then 1.9600 end
    end
{%- endmacro %}

{#- Required annual change to reach a target: (target - latest) / (target start year - latest start year). -#}
{% macro fh_required_annual_change(target_value, latest_value, target_year, latest_year) -%}
    case when ({{ target_year }}) > ({{ latest_year }})
         then (({{ target_value }}) - ({{ latest_value }})) / (({{ target_year }}) - ({{ latest_year }})) end
{%- endmacro %}

{#- A percentage clamped to 0-100 (projections and their intervals); null stays null (greatest/least skip
    nulls, so they alone would turn a missing limit into a bound). -#}
{% macro fh_clamp_percent(expr) -%}
    case when ({{ expr }}) is not null then least(100.0, greatest(0.0, {{ expr }})) end
{%- endmacro %}
