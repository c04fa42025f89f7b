{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='eyfsp_result_key',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_of_withdrawn_deliveries('eyfsp') }}"
    )
}}

with

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'eyfsp'
),

{#- `not materialized`: read twice on an incremental night (macros/incremental_deliveries.sql). -#}
results as not materialized (
    select * from {{ ref('stg_hubs__eyfsp_results') }}
),

{% if is_incremental() %}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_results as (
    select distinct borough_code, pupil_key, academic_year
    from results
    where _delivery_id in (select delivery_id from changed_deliveries)
),
{% endif %}

landed_results as (
    select
        results.*,
        landed_deliveries.delivery_rank
    from results
    inner join landed_deliveries
        on results._delivery_id = landed_deliveries.delivery_id
    {% if is_incremental() %}
    semi join affected_results
        on results.borough_code = affected_results.borough_code
        and results.pupil_key = affected_results.pupil_key
        and results.academic_year is not distinct from affected_results.academic_year
    {% endif %}
    where results.pupil_key is not null
),

{#- One row per borough × pupil × academic year. A resubmitted file supersedes the earlier one at landing (its
    delivery is no longer `landed`). A pupil listed twice for the same year (in two landed files, or twice in
    one file, e.g. after a school move) keeps the row from the most recently loaded delivery, and within it
    the last row of the file. -#}
latest_results as (
    select *
    from landed_results
    qualify row_number() over (
        partition by borough_code, pupil_key, academic_year
        order by delivery_rank desc, _row_number desc
    ) = 1
),

final as (
    select
        {{ surrogate_key(['borough_code', 'pupil_key', 'academic_year']) }} as eyfsp_result_key,
        * exclude (delivery_rank, _period, _loaded_at)
    from latest_results
)

select * from final
