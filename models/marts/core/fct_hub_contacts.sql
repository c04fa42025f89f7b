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

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'contacts'
),

{#- `not materialized`: read twice on an incremental night (macros/incremental_deliveries.sql). -#}
contacts as not materialized (
    select * from {{ ref('stg_hubs__contacts') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

{% if is_incremental() %}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_contacts as (
    select distinct borough_code, contact_id
    from contacts
    where _delivery_id in (select delivery_id from changed_deliveries)
),
{% endif %}

landed_contacts as (
    select
        contacts.*,
        -- one comparable number per row: later delivery first, then later row in the file
        landed_deliveries.delivery_rank * 4294967296 + contacts._row_number as row_precedence
    from contacts
    inner join landed_deliveries
        on contacts._delivery_id = landed_deliveries.delivery_id
    {% if is_incremental() %}
    semi join affected_contacts
        on contacts.borough_code = affected_contacts.borough_code
        and contacts.contact_id = affected_contacts.contact_id
    {% endif %}
),

{#- One row per borough × contact id: the row from the most recently loaded landed delivery wins
    (a later file corrects an earlier one); within one file the last row wins. -#}
latest_contacts as (
    select *
    from landed_contacts
    -- row_precedence is unique per row (delivery_rank is a row_number, _row_number is unique in a file), so
    -- this keeps exactly the row holding max(row_precedence) of its key, in one pass over the landed rows
    -- (an aggregate of the winners joined back to the landed rows read them twice: ~20 % slower at London scale)
    qualify row_number() over (partition by borough_code, contact_id order by row_precedence desc) = 1
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
    from latest_contacts
    left join calendar_months
        on date_trunc('month', latest_contacts.contact_date) = calendar_months.month_start
)

select * from final
