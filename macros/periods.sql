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

{#- Last day of a financial quarter string: '2024/25 Q1' -> 2024-06-30. -#}
{% macro financial_quarter_end(period_expr) -%}
    (make_date(cast(left({{ period_expr }}, 4) as integer), 4, 1)
     + to_months(3 * cast(right({{ period_expr }}, 1) as integer)) - interval 1 day)::date
{%- endmacro %}

{#- Start year of an academic or financial year string: '2023/24' -> 2023. -#}
{% macro period_start_year(period_expr) -%}
    cast(left({{ period_expr }}, 4) as integer)
{%- endmacro %}

{#- The academic year after an academic year string: '2023/24' -> '2024/25'. -#}
{% macro academic_year_after(period_expr) -%}
    {{ _two_year_label(period_start_year(period_expr) ~ ' + 1') }}
{%- endmacro %}
