{#-
    DfE's published EYFSP measures (int_gld_published.measure; the FSM gap is derived from gld's FSM breakdown)
    and the mart's two metrics of each: (measure, borough-records metric, DfE-published metric). A benchmark from
    DfE's figures is filed under both metrics of its measure (int_peer_benchmarks_pooled,
    int_indicator_values_benchmarked): one list, so the two never disagree on which measures have twins.
-#}
{% macro dfe_measure_metrics() -%}
    {{ return([
        ('gld', 'eyfs_gld', 'gld_dfe_published'),
        ('all_elgs_expected', 'eyfs_all_elgs', 'all_elgs_expected_dfe_published'),
        ('comm_lang_lit', 'eyfs_comm_lang_lit', 'comm_lang_lit_dfe_published'),
        ('gld_fsm_gap', 'eyfs_gld_fsm_gap', 'gld_fsm_gap_dfe_published'),
    ]) }}
{%- endmacro %}

{#- A breakdown value of DfE's published files (int_gld_published: eligible / not_eligible) in the mart's
    vocabulary (seeds/reference/breakdowns.csv: fsm_eligible / not_fsm_eligible); any other value unchanged. -#}
{% macro dfe_breakdown_value(breakdown_value) -%}
    case {{ breakdown_value }}
        when 'eligible' then 'fsm_eligible'
        when 'not_eligible' then 'not_fsm_eligible'
        else {{ breakdown_value }}
    end
{%- endmacro %}
