{#- One row per computed metric × geography × period × breakdown with the Fingertips recent trend over the five
    most recent annual points ending at that period (macros/stats/trend.sql): break-aware (EYFS reform 2021/22
    is a break; the COVID years 2019/20 and 2020/21 have no results, so no 5 consecutive years span them). -#}
with

estimated as (
    select * from {{ ref('int_indicator_values_estimated') }}
),

trended as (
    {{ fh_recent_trend('estimated',
                       ['metric_id', 'geography_level', 'geography_code', 'breakdown_type', 'breakdown_value'],
                       'period_year', 'value', 'value_variance', 'polarity', 'series_break_year') }}
)

select * from trended
