{#-
    De-duplication and incremental builds of the five borough extracts (register, contacts, referrals,
    assessments, EYFSP), in one layer: models/intermediate/<area>/int_<entity>s_deduplicated.sql.

    The rule (docs/dbt/core.md `deduplication_rule`): only rows of deliveries whose status is `landed` count;
    a record (the model's business key) delivered more than once among them keeps the row of the most
    recently loaded delivery, and within one file the last row (optionally after a tie-break of the model's
    own, e.g. the register's latest registration date). Rows without their business key cannot be matched and
    are dropped (landing rejects them already: every key column is required by the landing contract).

    A model's winning row is a function of the set of landed raw rows only, never of build history. So a key
    needs recomputing only when a delivery holding it becomes landed ("new": landed, but no row of it in the
    model yet) or stops being landed ("withdrawn": rows of it in the model, but no longer landed, e.g.
    superseded by a resubmission). Raw rows of superseded deliveries stay in raw (docs/architecture.md),
    which is how we find the keys they held.

    A model:
      * is `materialized='incremental'`, `incremental_strategy='delete+insert'` on its surrogate key, with
        post_hook `delete_rows_of_withdrawn_deliveries(extract_type)`: it removes keys that no landed delivery
        holds any more (they have no winner, so delete+insert cannot remove them);
      * opens its CTEs with `latest_landed_rows(...)`, which defines `latest_rows` (the winning staging rows,
        with the staging model's columns) and, on an incremental night, recomputes the winners of exactly the
        keys held by the changed deliveries (`changed_delivery_ids`);
      * selects its own columns from `latest_rows` in `final`.
    The staging CTE is `not materialized`: on an incremental night it is read twice (the changed deliveries'
    keys, then the landed rows of those keys), and DuckDB would otherwise first copy every raw row with every
    column and scan that copy twice (London: 24 s instead of 2.6 s for one day of contacts).
    tests/unit/test_dbt_incremental.py asserts incremental = full refresh, row for row.
-#}

{#-
    latest_landed_rows(staging_model, extract_type, key_columns, tie_break=none)

    staging_model: the stg_hubs__* model of the extract; extract_type: as in landing.deliveries;
    key_columns: the business key (borough_code first); tie_break: order within one delivery before the row
    number (e.g. 'registration_date desc nulls last'). Without a tie-break the winner is picked by one
    comparable number per row, later delivery first, then later row in the file (`row_precedence`:
    delivery_rank is a row_number and _row_number is unique in a file, so it is unique per row): one window
    pass over the landed rows (an aggregate of the winners joined back to the landed rows read them twice:
    ~20 % slower at London scale).
-#}
{% macro latest_landed_rows(staging_model, extract_type, key_columns, tie_break=none) -%}
landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = '{{ extract_type }}'
),

staged_rows as not materialized (
    select * from {{ ref(staging_model) }}
),

{% if is_incremental() -%}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_keys as (
    select distinct {{ key_columns | join(', ') }}
    from staged_rows
    where _delivery_id in (select delivery_id from changed_deliveries)
),

{% endif -%}
landed_rows as (
    select
        staged_rows.*,
        {%- if tie_break %}
        landed_deliveries.delivery_rank
        {%- else %}
        landed_deliveries.delivery_rank * 4294967296 + staged_rows._row_number as row_precedence
        {%- endif %}
    from staged_rows
    inner join landed_deliveries
        on staged_rows._delivery_id = landed_deliveries.delivery_id
    {%- if is_incremental() %}
    semi join affected_keys
        on
        {%- for key in key_columns %}
        {% if not loop.first %}and {% endif %}staged_rows.{{ key }} = affected_keys.{{ key }}
        {%- endfor %}
    {%- endif %}
    where
    {%- for key in key_columns %}
        {% if not loop.first %}and {% endif %}staged_rows.{{ key }} is not null
    {%- endfor %}
),

latest_rows as (
    select * exclude ({{ 'delivery_rank' if tie_break else 'row_precedence' }})
    from landed_rows
    qualify row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by {{ 'delivery_rank desc, ' ~ tie_break ~ ', _row_number desc' if tie_break else 'row_precedence desc' }}
    ) = 1
)
{%- endmacro %}


{#- The model's delivery ids are read once (one grouped scan of its _delivery_id column, not two). -#}
{% macro changed_delivery_ids(landed_deliveries_cte) -%}
    with fact_deliveries as (
        select distinct _delivery_id
        from {{ this }}
    )
    (
        select delivery_id
        from {{ landed_deliveries_cte }}
        where delivery_id not in (select _delivery_id from fact_deliveries)
    )
    union
    (
        select _delivery_id as delivery_id
        from fact_deliveries
        where _delivery_id not in (select delivery_id from {{ landed_deliveries_cte }})
    )
{%- endmacro %}

{% macro delete_rows_of_withdrawn_deliveries(extract_type) -%}
    delete from {{ this }}
    where _delivery_id not in (
        select delivery_id
        from {{ ref('int_deliveries_landed') }}
        where extract_type = '{{ extract_type }}'
    )
{%- endmacro %}
