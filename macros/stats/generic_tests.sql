{#- Generic data tests for the outcomes mart (used from models/marts/outcomes/*.yml). -#}

{#- London (region) rows equal the sums of the borough numerators and denominators, and the value is
    recomputed from them (never an average of borough percentages). Counts must match exactly; summed
    measures (e.g. SWEMWBS changes) to floating-point precision (summation order differs). -#}
{% test region_reproduces_borough_sums(model, region_code='E12000007') %}
with
boroughs as (
    select metric_id, period, breakdown_type, breakdown_value,
           sum(numerator) as numerator, sum(denominator) as denominator
    from {{ model }}
    where geography_level = 'borough' and numerator is not null
    group by all
),
region as (
    select * from {{ model }}
    where geography_level = 'region' and geography_code = '{{ region_code }}' and numerator is not null
)
select region.metric_id, region.period, region.breakdown_type, region.breakdown_value,
       region.numerator, boroughs.numerator as borough_numerator,
       region.denominator, boroughs.denominator as borough_denominator, region.value
from region
left join boroughs using (metric_id, period, breakdown_type, breakdown_value)
where boroughs.numerator is null
   or abs(region.numerator - boroughs.numerator) > 1e-9 * greatest(1, abs(boroughs.numerator))
   or coalesce(region.denominator, -1) <> coalesce(boroughs.denominator, -1)
   or (region.unit = 'percent' and abs(region.value - round(100.0 * boroughs.numerator / boroughs.denominator, 4)) > 1e-9)
   or (region.unit in ('mean', 'points', 'days') and abs(region.value - round(boroughs.numerator / boroughs.denominator, 4)) > 1e-9)
   or (region.unit = 'count' and region.value <> boroughs.numerator)
{% endtest %}

{#- Every domain × layer cell of the framework has at least one metric. -#}
{% test every_domain_layer_cell_has_metric(model, domains, layers) %}
with
cells as (
    select domains.domain, layers.layer
    from {{ domains }} as domains cross join {{ layers }} as layers
)
select cells.domain, cells.layer
from cells
left join {{ model }} as metrics
    on metrics.domain = cells.domain and cast(metrics.layer as integer) = cast(cells.layer as integer)
group by all
having count(metrics.metric_id) = 0
{% endtest %}

{#- The model has exactly one row for every combination of two reference relations' keys (and no others). -#}
{% test one_row_per_pair(model, left_column, left_model, left_key, right_column, right_model, right_key) %}
with
expected as (
    select l.{{ left_key }} as left_value, r.{{ right_key }} as right_value
    from {{ left_model }} as l cross join {{ right_model }} as r
),
actual as (
    select {{ left_column }} as left_value, {{ right_column }} as right_value, count(*) as n
    from {{ model }}
    group by all
)
select coalesce(expected.left_value, actual.left_value) as left_value,
       coalesce(expected.right_value, actual.right_value) as right_value,
       coalesce(actual.n, 0) as rows_found
from expected
full outer join actual
    on expected.left_value = actual.left_value and expected.right_value = actual.right_value
where actual.n is null or actual.n <> 1 or expected.left_value is null
{% endtest %}

{#- No group of cells that adds up to a published total has exactly one suppressed cell (secondary
    suppression worked): across breakdown values, and across hubs in a borough / boroughs in London. -#}
{% test no_lone_suppressed_cell(model) %}
with
cells as (
    select *,
        case when geography_level = 'hub' then (
                 select any_value(borough_code) from {{ ref('family_hubs') }} h where h.hub_id = m.geography_code)
             when geography_level = 'borough' then 'E12000007' end as parent_code
    from {{ model }} as m
),
by_breakdown as (
    select metric_id, geography_level, geography_code, period, breakdown_type, 'breakdown' as dimension
    from cells
    where breakdown_type <> 'total' and metric_id <> 'eyfs_gld_fsm_gap'
    group by all
    having count(*) filter (where suppression_symbol = 'c') = 1 and count(*) > 1
),
by_geography as (
    select metric_id, geography_level, parent_code, period, breakdown_type || ':' || breakdown_value, 'geography'
    from cells
    where parent_code is not null and metric_id <> 'eyfs_gld_fsm_gap'
    group by metric_id, geography_level, parent_code, period, breakdown_type, breakdown_value
    having count(*) filter (where suppression_symbol = 'c') = 1 and count(*) > 1
)
select * from by_breakdown
union all
select * from by_geography
{% endtest %}

{#- A suppressed cell (symbol c) carries no figure derived from it. -#}
{% test suppressed_cells_have_no_figures(model, figure_columns) %}
select *
from {{ model }}
where suppression_symbol = 'c'
  and ({% for c in figure_columns %}{{ c }} is not null{% if not loop.last %} or {% endif %}{% endfor %})
{% endtest %}
