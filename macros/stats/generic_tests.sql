{#- Generic data tests for the outcomes mart (used from models/marts/outcomes/*.yml). -#}

{#- Aggregate rows of London's boroughs equal the sums of the borough numerators and denominators, and the
    value is recomputed from them (never an average of borough percentages): DfE's London (region
    E12000007, the default) and the participating boroughs' aggregate (aggregate_level
    participating_boroughs, aggregate_code LONDON_PARTICIPATING). Counts must match exactly; summed measures
    (e.g. SWEMWBS changes) to floating-point precision. Rows flagged by `published_value_flag` (a boolean
    column: DfE's published statistics) must still reproduce the borough counts, but their value is the
    published figure (1 dp), so it is not recomputed here. -#}
{% test region_reproduces_borough_sums(model, region_code='E12000007', published_value_flag=none,
                                       aggregate_level='region', aggregate_code=none) %}
with
boroughs as (
    select metric_id, period, breakdown_type, breakdown_value,
           sum(numerator) as numerator, sum(denominator) as denominator
    from {{ model }}
    where geography_level = 'borough' and numerator is not null
        -- the region's own boroughs only (authorities outside London may take part)
        and geography_code in (select borough_code from {{ ref('dim_boroughs') }} where region_code = '{{ region_code }}')
    group by all
),
region as (
    select * from {{ model }}
    where geography_level = '{{ aggregate_level }}' and geography_code = '{{ aggregate_code or region_code }}'
        and numerator is not null
)
select region.metric_id, region.period, region.breakdown_type, region.breakdown_value,
       region.numerator, boroughs.numerator as borough_numerator,
       region.denominator, boroughs.denominator as borough_denominator, region.value
from region
left join boroughs using (metric_id, period, breakdown_type, breakdown_value)
where boroughs.numerator is null
   or abs(region.numerator - boroughs.numerator) > 1e-9 * greatest(1, abs(boroughs.numerator))
   or coalesce(region.denominator, -1) <> coalesce(boroughs.denominator, -1)
   or (region.unit = 'percent'
       {%- if published_value_flag %} and not coalesce(region.{{ published_value_flag }}, false){% endif %}
       and abs(region.value - round(100.0 * boroughs.numerator / boroughs.denominator, 4)) > 1e-9)
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
                 select any_value(borough_code) from {{ ref('dim_hubs') }} h where h.hub_id = m.geography_code)
             when geography_level = 'borough' then (
                 select any_value(region_code) from {{ ref('dim_boroughs') }} b where b.borough_code = m.geography_code)
        end as parent_code
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

{#- The DfE-published metrics (*_dfe_published) reproduce the real published files exactly: one row for every
    published figure of a London borough, London and England in int_gld_published and no other;
    value equal to the published value (the FSM gap = not-eligible minus eligible, from counts where both groups
    have counts, else from the published percentages, 4 dp);
    numerator/denominator equal to the published counts; and London and England counts, where the model has
    them, equal to the sums of the published counts of their local authorities (London: the boroughs of
    `boroughs`; England: every local authority in the source) - computed from counts, never averaged. Each
    failing row says which check failed. Defaults: published_relation = int_gld_published,
    boroughs_relation = dim_boroughs. -#}
{% test published_statistics_match_source(model, published_relation=none, boroughs_relation=none) %}
{%- set published = published_relation or ref('int_gld_published') -%}
{%- set boroughs = boroughs_relation or ref('dim_boroughs') -%}
with
source_rows as (
    select
        measure || '_dfe_published' as metric_id,
        geography_level,
        geography_code,
        academic_year as period,
        breakdown_type,
        case breakdown_value when 'eligible' then 'fsm_eligible' when 'not_eligible' then 'not_fsm_eligible'
             else breakdown_value end as breakdown_value,
        cast(value as double) as value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator
    from {{ published }}
),
in_scope as (
    select * from source_rows
    where (geography_level = 'borough' and geography_code in (select borough_code from {{ boroughs }}))
       or (geography_level = 'region' and geography_code = 'E12000007')
       or (geography_level = 'country' and geography_code = 'E92000001')
),
expected as (
    select * from in_scope
    union all
    select 'gld_fsm_gap_dfe_published', not_fsm.geography_level, not_fsm.geography_code, not_fsm.period,
           'total', 'total',
           -- from counts wherever both groups have counts, else from the two published percentages
           round(case when not_fsm.denominator > 0 and fsm.denominator > 0
                          and not_fsm.numerator is not null and fsm.numerator is not null
                      then 100.0 * not_fsm.numerator / not_fsm.denominator - 100.0 * fsm.numerator / fsm.denominator
                      else not_fsm.value - fsm.value end, 4),
           null, null
    from in_scope as not_fsm
    inner join in_scope as fsm
        on not_fsm.geography_level = fsm.geography_level and not_fsm.geography_code = fsm.geography_code
        and not_fsm.period = fsm.period
        and not_fsm.metric_id = 'gld_dfe_published' and fsm.metric_id = 'gld_dfe_published'
        and not_fsm.breakdown_value = 'not_fsm_eligible' and fsm.breakdown_value = 'fsm_eligible'
),
actual as (
    select metric_id, geography_level, geography_code, period, breakdown_type, breakdown_value,
           value, numerator, denominator
    from {{ model }}
    where metric_id in ('gld_dfe_published', 'all_elgs_expected_dfe_published', 'comm_lang_lit_dfe_published',
                        'gld_fsm_gap_dfe_published')
),
la_sums as (
    select metric_id, 'region' as geography_level, 'E12000007' as geography_code, period, breakdown_type,
           breakdown_value, sum(numerator) as numerator, sum(denominator) as denominator
    from source_rows
    where geography_level = 'borough' and geography_code in (select borough_code from {{ boroughs }})
    group by all
    union all
    select metric_id, 'country', 'E92000001', period, breakdown_type, breakdown_value,
           sum(numerator), sum(denominator)
    from source_rows
    where geography_level = 'borough'
    group by all
),
compared as (
    select
        coalesce(actual.metric_id, expected.metric_id) as metric_id,
        coalesce(actual.geography_level, expected.geography_level) as geography_level,
        coalesce(actual.geography_code, expected.geography_code) as geography_code,
        coalesce(actual.period, expected.period) as period,
        coalesce(actual.breakdown_type, expected.breakdown_type) as breakdown_type,
        coalesce(actual.breakdown_value, expected.breakdown_value) as breakdown_value,
        actual.value, expected.value as published_value,
        actual.numerator, expected.numerator as published_numerator, la_sums.numerator as la_sum_numerator,
        actual.denominator, expected.denominator as published_denominator,
        la_sums.denominator as la_sum_denominator,
        case
            when actual.metric_id is null then 'published figure missing from the model'
            when expected.metric_id is null then 'row not in the published files'
            when actual.value is distinct from expected.value then 'value differs from the published figure'
            when actual.numerator is distinct from expected.numerator
              or actual.denominator is distinct from expected.denominator
                then 'counts differ from the published counts'
            when actual.geography_level in ('region', 'country') and actual.numerator is not null
             and (actual.numerator is distinct from la_sums.numerator
                  or actual.denominator is distinct from la_sums.denominator)
                then 'London/England counts are not the sums of their local authorities'
        end as failure
    from actual
    full outer join expected
        on actual.metric_id = expected.metric_id
        and actual.geography_level = expected.geography_level
        and actual.geography_code = expected.geography_code
        and actual.period = expected.period
        and actual.breakdown_type = expected.breakdown_type
        and actual.breakdown_value = expected.breakdown_value
    left join la_sums
        on actual.metric_id = la_sums.metric_id
        and actual.geography_level = la_sums.geography_level
        and actual.geography_code = la_sums.geography_code
        and actual.period = la_sums.period
        and actual.breakdown_type = la_sums.breakdown_type
        and actual.breakdown_value = la_sums.breakdown_value
)
select * from compared where failure is not null
{% endtest %}

{#- A row whose dq_status is not 'published' says why: dq_reason is filled (issue 16). -#}
{% test dq_reason_when_not_published(model) %}
select *
from {{ model }}
where dq_status is distinct from 'published'
  and (dq_reason is null or trim(dq_reason) = '')
{% endtest %}

{#- GLD projections and their intervals lie in 0-100 (a percentage; issue 16 found 12.4-177.2). -#}
{% test projection_within_0_100(model) %}
select *
from {{ model }}
where projected_value not between 0 and 100
   or projection_lower_95 not between 0 and 100
   or projection_upper_95 not between 0 and 100
{% endtest %}

{#- Every breakdown_type × breakdown_value of the model is in the one vocabulary (seeds/reference/breakdowns.csv):
    the same words in every public relation (issue 16: term_of_birth, never summer_born). -#}
{% test breakdowns_in_vocabulary(model) %}
select distinct m.breakdown_type, m.breakdown_value
from {{ model }} as m
left join {{ ref('breakdowns') }} as b
    on m.breakdown_type = b.breakdown_type and m.breakdown_value = b.breakdown_value
where b.breakdown_type is null
{% endtest %}

{#- A real area code carries only that real area's figure from a real publisher (issue 16): DfE's London
    (E12000007) and England (E92000001) are never a sum of the boroughs' records, which has its own geography
    (participating_boroughs / LONDON_PARTICIPATING, macros/geography.sql). -#}
{% test real_area_codes_carry_only_published_figures(model) %}
select *
from {{ model }}
where (geography_code in ('E12000007', 'E92000001')
        and (source = {{ borough_records_source() }} or geography_level not in ('region', 'country')))
    or (geography_code = {{ participating_boroughs_code() }}
        and geography_level <> {{ participating_boroughs_level() }})
{% endtest %}
