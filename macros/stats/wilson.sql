{#-
  Wilson score interval for a proportion, as OHID Fingertips computes it:
    (2np + z^2 -/+ z * sqrt(z^2 + 4np(1 - p))) / (2(n + z^2)),  with np = numerator, p = numerator / denominator.
  Returns a proportion (0-1); null when the denominator is null or not positive.
  z: 1.959963984540054 for 95%, 3.090232306167814 for 99.8% (two-sided), see fh_z().
-#}
{% macro fh_z(level) -%}
    {%- if level == 95 -%}1.959963984540054
    {%- elif level == 99.8 or level == 998 -%}3.090232306167814
    {%- else -%}{{ exceptions.raise_compiler_error("fh_z: level must be 95 or 99.8, got " ~ level) }}
    {%- endif -%}
{%- endmacro %}

{% macro fh_wilson_lower(numerator, denominator, level=95) -%}
    case when ({{ denominator }}) > 0 and ({{ numerator }}) between 0 and ({{ denominator }}) then
        (2 * ({{ numerator }}) + power({{ fh_z(level) }}, 2)
         - {{ fh_z(level) }} * sqrt(power({{ fh_z(level) }}, 2)
             + 4 * ({{ numerator }}) * (1 - ({{ numerator }}) / ({{ denominator }}))))
        / (2 * (({{ denominator }}) + power({{ fh_z(level) }}, 2)))
    end
{%- endmacro %}

{% macro fh_wilson_upper(numerator, denominator, level=95) -%}
    case when ({{ denominator }}) > 0 and ({{ numerator }}) between 0 and ({{ denominator }}) then
        (2 * ({{ numerator }}) + power({{ fh_z(level) }}, 2)
         + {{ fh_z(level) }} * sqrt(power({{ fh_z(level) }}, 2)
             + 4 * ({{ numerator }}) * (1 - ({{ numerator }}) / ({{ denominator }}))))
        / (2 * (({{ denominator }}) + power({{ fh_z(level) }}, 2)))
    end
{%- endmacro %}

{#- Normal-approximation interval for a mean: mean -/+ z * sd / sqrt(n), sd from the sum and sum of squares. -#}
{% macro fh_mean_sd(total, sum_of_squares, n) -%}
    case when ({{ n }}) > 1 then
        sqrt(greatest((({{ sum_of_squares }}) - power(({{ total }}), 2) / ({{ n }})) / (({{ n }}) - 1), 0))
    end
{%- endmacro %}

{% macro fh_mean_lower(total, sum_of_squares, n, level=95) -%}
    (({{ total }}) / nullif(({{ n }}), 0) - {{ fh_z(level) }} * {{ fh_mean_sd(total, sum_of_squares, n) }} / sqrt(({{ n }})))
{%- endmacro %}

{% macro fh_mean_upper(total, sum_of_squares, n, level=95) -%}
    (({{ total }}) / nullif(({{ n }}), 0) + {{ fh_z(level) }} * {{ fh_mean_sd(total, sum_of_squares, n) }} / sqrt(({{ n }})))
{%- endmacro %}
