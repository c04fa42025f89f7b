{#-
    dbt's own should_full_refresh(), plus: an incremental model named in the environment variable
    FHUB_REBUILD_MODELS (comma-separated) is rebuilt from scratch. The nightly run names the incremental models
    whose definition changed since they were last built (fhub/dbt/rebuild.py), so a deployed change to one of them
    never meets rows written by the old SQL (e.g. a new column left null in every earlier row).
-#}
{% macro should_full_refresh() %}
    {%- set config_full_refresh = config.get('full_refresh') -%}
    {%- if config_full_refresh is none -%}
        {%- set rebuild = env_var('FHUB_REBUILD_MODELS', '').split(',') | map('trim') | list -%}
        {%- set config_full_refresh = flags.FULL_REFRESH or model.name in rebuild -%}
    {%- endif -%}
    {%- do return(config_full_refresh) -%}
{% endmacro %}
