{#- The run context as data (fhub/dbt/run_context.py): the run id a dbt invocation builds for. -#}

{#- The run id the marts stamp on their rows: the one row of run.run_context (written by the pipeline for one
    invocation), 'dev' when the table is empty (a bare `dbt build` by an analyst). A scalar subquery, so a new
    run id changes no file dbt parses (tests/unit/test_dbt_partial_parse.py). -#}
{% macro fhub_run_id() -%}
    coalesce((select run_context.run_id from {{ ref('stg_run__run_context') }} as run_context), 'dev')
{%- endmacro %}

{#- on-run-start: the source table exists even in a work file the pipeline never prepared. Keep it equal to
    fhub.dbt.run_context.DDL. -#}
{% macro ensure_run_context() -%}
    create schema if not exists run;
    create table if not exists run.run_context (
        run_id varchar not null, dbt_command varchar, started_at timestamp with time zone
    )
{%- endmacro %}
