{#-
    Canonical period strings (docs/architecture.md "Periods"):
      academic year   2023/24     (1 September – 31 August)
      financial year  2024/25 FY  (1 April – 31 March)
      quarter         2024/25 Q1  (financial quarters: Apr–Jun = Q1, Jul–Sep = Q2, Oct–Dec = Q3, Jan–Mar = Q4)
-#}

{#- First calendar year of the year that starts in month `start_month` and contains `date_expr`. -#}
{% macro _year_start(date_expr, start_month) -%}
    (year({{ date_expr }}) - case when month({{ date_expr }}) < {{ start_month }} then 1 else 0 end)
{%- endmacro %}

{#- 2023 -> '2023/24' -#}
{% macro _two_year_label(start_year_expr) -%}
    (cast({{ start_year_expr }} as varchar) || '/' || right(cast({{ start_year_expr }} + 1 as varchar), 2))
{%- endmacro %}

{% macro academic_year_of(date_expr) -%}
    {{ _two_year_label(_year_start(date_expr, 9)) }}
{%- endmacro %}

{% macro financial_year_of(date_expr) -%}
    ({{ _two_year_label(_year_start(date_expr, 4)) }} || ' FY')
{%- endmacro %}

{% macro financial_quarter_of(date_expr) -%}
    ({{ _two_year_label(_year_start(date_expr, 4)) }} || ' Q'
        || cast(((month({{ date_expr }}) + 8) % 12) // 3 + 1 as varchar))
{%- endmacro %}
