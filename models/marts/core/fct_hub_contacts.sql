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

contacts as (
    select * from {{ ref('stg_hubs__contacts') }}
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
        landed_deliveries.loaded_at as delivery_loaded_at
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
    qualify row_number() over (
        partition by borough_code, contact_id
        order by delivery_loaded_at desc, _delivery_id desc, _row_number desc
    ) = 1
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
        {{ academic_year_of('contact_date') }} as academic_year,
        {{ financial_quarter_of('contact_date') }} as financial_quarter,
        _delivery_id
    from latest_contacts
)

select * from final
