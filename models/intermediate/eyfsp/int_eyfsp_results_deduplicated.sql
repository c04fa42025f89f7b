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

{#- One row per borough × pupil × academic year. A resubmitted file supersedes the earlier one at landing (its
    delivery is no longer `landed`). A pupil listed twice for the same year (in two landed files, or twice in
    one file, e.g. after a school move) keeps the row from the most recently loaded delivery, and within it
    the last row of the file (macros/incremental_deliveries.sql). #}
{{ latest_landed_rows('stg_hubs__eyfsp_results', 'eyfsp', ['borough_code', 'pupil_key', 'academic_year']) }},

final as (
    select
        {{ surrogate_key(['borough_code', 'pupil_key', 'academic_year']) }} as eyfsp_result_key,
        * exclude (_period, _loaded_at)
    from latest_rows
)

select * from final
