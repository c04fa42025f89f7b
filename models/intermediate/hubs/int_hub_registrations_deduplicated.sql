{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='registration_key',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_of_withdrawn_deliveries('register') }}"
    )
}}

with

{#- One row per person × borough. A person listed more than once (in several register files, or twice in
    one file, e.g. registered at two hubs) keeps the row from the most recently loaded landed delivery, and
    within it the latest registration date, then the last row of the file (macros/incremental_deliveries.sql). #}
{{ latest_landed_rows(
    'stg_hubs__register', 'register', ['borough_code', 'person_key'],
    tie_break='registration_date desc nulls last'
) }},

final as (
    select
        {{ surrogate_key(['borough_code', 'person_key']) }} as registration_key,
        person_key,
        family_key,
        borough_code,
        hub_id,
        role,
        birth_month,
        sex,
        ethnicity_group,
        home_lsoa,
        send_flag,
        first_language,
        registration_date,
        consent_data_sharing,
        _delivery_id
    from latest_rows
)

select * from final
