{#-
    A stable text key from several columns: md5 of the values joined with '|', nulls written as '_null_'.
    Same idea as dbt_utils.generate_surrogate_key (no packages here: dbt deps cannot run offline).
-#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns %}, coalesce(cast({{ column }} as varchar), '_null_'){% endfor -%}
    ))
{%- endmacro %}
