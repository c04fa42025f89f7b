{#-
  Disclosure control for published values (statistics.md; issue 3 item 7).

  Thresholds are configuration: var `disclosure_view` picks a set from var `disclosure_thresholds`.
    public   (default; the pan-London published file): counts 1-7 suppressed (NHS/OHID practice), and any
             rate/mean whose denominator is 1-9;
    internal (a borough's own view): counts 1-2 and denominators 1-4.
  Zero is shown (it is not disclosive on its own); for percentages the complement (denominator - numerator,
  "all but n") is checked too (var disclosure_check_complement, default true). Values are not rounded (DfE
  practice for LA figures).
-#}
{% macro fh_disclosure_thresholds() -%}
    {%- set defaults = {'public': {'min_count': 8, 'min_denominator': 10},
                        'internal': {'min_count': 3, 'min_denominator': 5}} -%}
    {%- set all_thresholds = var('disclosure_thresholds', defaults) -%}
    {%- set view = var('disclosure_view', 'public') -%}
    {%- if view not in all_thresholds -%}
        {{ exceptions.raise_compiler_error("disclosure_view '" ~ view ~ "' is not a key of var disclosure_thresholds") }}
    {%- endif -%}
    {{ return(all_thresholds[view]) }}
{%- endmacro %}

{#- True when a cell must be suppressed on its own (primary suppression). -#}
{% macro fh_primary_suppression(numerator, denominator, unit, smallest_component_count='null',
                                smallest_component_denominator='null') -%}
    {%- set t = fh_disclosure_thresholds() -%}
    coalesce(case
        when ({{ unit }}) = 'count'
            then ({{ numerator }}) between 1 and {{ t['min_count'] - 1 }}
        when ({{ unit }}) = 'percentage_points'
            then ({{ smallest_component_denominator }}) < {{ t['min_denominator'] }}
                 or ({{ smallest_component_count }}) between 1 and {{ t['min_count'] - 1 }}
        when ({{ unit }}) = 'percent'
            then ({{ denominator }}) between 1 and {{ t['min_denominator'] - 1 }}
                 or ({{ numerator }}) between 1 and {{ t['min_count'] - 1 }}
                 {%- if var('disclosure_check_complement', true) %}
                 or (({{ denominator }}) - ({{ numerator }})) between 1 and {{ t['min_count'] - 1 }}
                 {%- endif %}
        else ({{ denominator }}) between 1 and {{ t['min_denominator'] - 1 }}
    end, false)
{%- endmacro %}

{#-
  Secondary suppression, one pass: within each group of cells that add up to a published total, when exactly
  one cell is suppressed, also suppress the smallest other cell (by `size`, ties by `tiebreak`), so the hidden
  value cannot be recovered by subtraction. `in_scope` limits which rows take part (others pass unchanged).
  Returns a SELECT of every column of `source` with `flag` updated.
-#}
{% macro fh_secondary_suppression(source, flag, group_by, size, tiebreak, in_scope='true') -%}
select
    * exclude ({{ flag }}, _in_scope, _suppressed_in_group, _cells_in_group, _rank_among_shown),
    {{ flag }} or (
        _in_scope and not {{ flag }} and _suppressed_in_group = 1 and _cells_in_group > 1 and _rank_among_shown = 1
    ) as {{ flag }}
from (
    select
        *,
        count(*) filter (where {{ flag }}) over g as _suppressed_in_group,
        count(*) over g as _cells_in_group,
        -- shown cells sort before suppressed ones, so for a shown cell this is its rank among the shown
        -- cells of its group; one partitioning serves all three windows
        row_number() over (
            partition by _in_scope, {{ group_by | join(', ') }}
            order by {{ flag }}, {{ size }} nulls last, {{ tiebreak }}
        ) as _rank_among_shown
    from (select *, coalesce({{ in_scope }}, false) as _in_scope from {{ source }})
    window g as (partition by _in_scope, {{ group_by | join(', ') }})
)
{%- endmacro %}
