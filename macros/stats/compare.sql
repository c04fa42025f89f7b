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
