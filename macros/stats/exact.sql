{#-
  Exact sums (issue 16). A sum of doubles depends on the order DuckDB adds them in, and that order changes
  with threads and row groups; a mean or rate on a rounding tie then differed by 0.0001 between two runs of
  the same code (swemwbs_mean_change). Every published mean or rate that is a sum of non-integer doubles is
  summed as a DECIMAL (exact, so order-free) and only then turned back into a double for the division.
  `scale` decimal places are kept: the inputs must not need more (SWEMWBS metric scores have 2, their squares 4).
-#}
{% macro fh_exact_sum(expr, scale=6) -%}
    cast(sum(cast({{ expr }} as decimal(38, {{ scale }}))) as double)
{%- endmacro %}
