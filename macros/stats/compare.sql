{#-
  Fingertips' comparison rule: compare the AREA's confidence interval with the BENCHMARK's point value.
    upper limit < benchmark -> lower;  lower limit > benchmark -> higher;  otherwise similar.
  Polarity turns lower/higher into worse/better (high_is_good) or better/worse (low_is_good); with
  no_judgement the verdict stays lower/higher. Null when the interval or the benchmark is missing.
-#}
{% macro fh_compare_to_benchmark(lower, upper, benchmark, polarity) -%}
    case
        when ({{ lower }}) is null or ({{ upper }}) is null or ({{ benchmark }}) is null then null
        when ({{ upper }}) < ({{ benchmark }}) then
            case ({{ polarity }}) when 'high_is_good' then 'worse' when 'low_is_good' then 'better' else 'lower' end
        when ({{ lower }}) > ({{ benchmark }}) then
            case ({{ polarity }}) when 'high_is_good' then 'better' when 'low_is_good' then 'worse' else 'higher' end
        else 'similar'
    end
{%- endmacro %}

{#-
  How a peer group's DfE benchmark was formed (int_peer_benchmarks_pooled: is_mean_of_values) and from which
  source, in the words indicator_values (neighbours_benchmark) and peer_comparisons (benchmark_source) share:
  'their published counts pooled: <source>' or 'mean of their published percentages: <source>'.
-#}
{% macro fh_peer_benchmark_basis(is_mean_of_values, source) -%}
    (case when {{ is_mean_of_values }} then 'mean of their published percentages' else 'their published counts pooled'
     end || ': ' || {{ source }})
{%- endmacro %}
