{#-
    Incremental facts built from landed deliveries (issue 7: a night costs only what changed).

    A fact row is the winning row for its business key among the raw rows of all deliveries whose status is
    `landed`; the winner is a function of that set of rows only, never of build history. So a key needs
    recomputing only when a delivery holding it becomes landed ("new": landed, but no row of it in the fact
    yet) or stops being landed ("withdrawn": rows of it in the fact, but no longer landed, e.g. superseded by
    a resubmission). Raw rows of superseded deliveries stay in raw (docs/architecture.md), which is how we
    find the keys they held.

    Models using this:
      * select `changed_delivery_ids(...)` into a CTE when is_incremental(), take the business keys found in
        the raw rows of those deliveries, recompute the winner for exactly those keys from all landed rows
        (delete+insert on the fact's unique key);
      * post_hook `delete_rows_of_withdrawn_deliveries(...)`: removes keys that no landed delivery holds any
        more (they have no winner, so delete+insert cannot remove them).
    The staging CTE of such a model is `not materialized`: on an incremental night it is read twice (the
    changed deliveries' keys, then the landed rows of those keys), and DuckDB would otherwise first copy every
    raw row with every column and scan that copy twice (London: 24 s instead of 2.6 s for one day of contacts).
    tests/unit/test_dbt_incremental.py asserts incremental = full refresh, row for row.
-#}

{#- The fact's delivery ids are read once (one grouped scan of its _delivery_id column, not two). -#}
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
