{#-
    The participating boroughs' aggregate is a geography of its own (issue 16): a real ONS code (E12000007
    London, E92000001 England, E09... boroughs) carries only that real area's figure from a real publisher, so
    the sum of the boroughs that send records to this mart is never filed under London's code.

      geography_level  participating_boroughs
      geography_code   LONDON_PARTICIPATING     (not a GSS code: no letter + 8 digits, cannot be mistaken for one)
      geography_name   'London (8 participating boroughs)' - the number of London boroughs whose records
                       make up that row
-#}
{% macro participating_boroughs_level() -%}'participating_boroughs'{%- endmacro %}

{% macro participating_boroughs_code() -%}'LONDON_PARTICIPATING'{%- endmacro %}

{% macro participating_boroughs_name(boroughs_expr) -%}
    ('London (' || cast({{ boroughs_expr }} as varchar) || ' participating borough'
        || case when {{ boroughs_expr }} = 1 then '' else 's' end || ')')
{%- endmacro %}

{#- How the mart names the source of a figure it computes from the boroughs' own records. -#}
{% macro borough_records_source() -%}'Borough records'{%- endmacro %}

{#- The source of an FSM gap (not eligible minus eligible): the one source of both components, else both named. -#}
{% macro fsm_gap_source(not_eligible_source, eligible_source) -%}
    case when ({{ not_eligible_source }}) = ({{ eligible_source }}) then ({{ not_eligible_source }})
        else ({{ not_eligible_source }}) || ' (not eligible); ' || ({{ eligible_source }}) || ' (eligible)'
    end
{%- endmacro %}

{#- Decimal places of a value the mart computes from counts (it rounds computed values to 4 dp). -#}
{% macro computed_precision_dp() -%}4{%- endmacro %}
