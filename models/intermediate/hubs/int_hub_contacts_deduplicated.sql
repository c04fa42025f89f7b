{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='contact_key',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_of_withdrawn_deliveries('contacts') }}"
    )
}}

with

{#- One row per borough × contact id: a later file corrects an earlier one (macros/incremental_deliveries.sql). #}
{{ latest_landed_rows('stg_hubs__contacts', 'contacts', ['borough_code', 'contact_id']) }},

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

final as (
    select
        {{ surrogate_key(['borough_code', 'contact_id']) }} as contact_key,
        borough_code,
        hub_id,
        person_key,
        family_key,
        venue,
        service_code,
        delivery_model,
        partner_name,
        contact_date,
        attended,
        calendar_months.academic_year,
        calendar_months.financial_quarter,
        _delivery_id
    from latest_rows
    left join calendar_months
        on date_trunc('month', latest_rows.contact_date) = calendar_months.month_start
)

select * from final
