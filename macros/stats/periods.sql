{#- Canonical period strings (docs/architecture.md): academic year 2023/24 (Sep-Aug); financial quarter 2024/25 Q1 (Apr-Jun = Q1). -#}
{% macro fh_academic_year(date_expr) -%}
    (cast(year({{ date_expr }}) - case when month({{ date_expr }}) < 9 then 1 else 0 end as varchar) || '/'
     || lpad(cast((year({{ date_expr }}) - case when month({{ date_expr }}) < 9 then 1 else 0 end + 1) % 100 as varchar), 2, '0'))
{%- endmacro %}

{% macro fh_financial_quarter(date_expr) -%}
    (cast(year({{ date_expr }}) - case when month({{ date_expr }}) < 4 then 1 else 0 end as varchar) || '/'
     || lpad(cast((year({{ date_expr }}) - case when month({{ date_expr }}) < 4 then 1 else 0 end + 1) % 100 as varchar), 2, '0')
     || ' Q' || cast(((month({{ date_expr }}) + 8) % 12) // 3 + 1 as varchar))
{%- endmacro %}

{#- Last day of a financial quarter string '2024/25 Q1' -> 2024-06-30. -#}
{% macro fh_financial_quarter_end(period_expr) -%}
    (make_date(cast(left({{ period_expr }}, 4) as integer), 4, 1)
     + to_months(3 * cast(right({{ period_expr }}, 1) as integer)) - interval 1 day)::date
{%- endmacro %}

{#- Start year of an academic or financial year string: '2023/24' -> 2023. -#}
{% macro fh_period_start_year(period_expr) -%}
    cast(left({{ period_expr }}, 4) as integer)
{%- endmacro %}
