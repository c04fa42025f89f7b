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

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'register'
),

{#- `not materialized`: read twice on an incremental night (macros/incremental_deliveries.sql). -#}
register as not materialized (
    select * from {{ ref('stg_hubs__register') }}
),

{% if is_incremental() %}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_people as (
    select distinct borough_code, person_key
    from register
    where _delivery_id in (select delivery_id from changed_deliveries)
),
{% endif %}

landed_register as (
    select
        register.*,
        landed_deliveries.delivery_rank
    from register
    inner join landed_deliveries
        on register._delivery_id = landed_deliveries.delivery_id
    {% if is_incremental() %}
    semi join affected_people
        on register.borough_code = affected_people.borough_code
        and register.person_key = affected_people.person_key
    {% endif %}
),

{#- One row per person × borough. A person listed more than once (in several register files, or twice in
    one file, e.g. registered at two hubs) keeps the row from the most recently loaded landed delivery, and
    within it the latest registration date, then the last row of the file. -#}
latest_registrations as (
    select *
    from landed_register
    where person_key is not null
    qualify row_number() over (
        partition by borough_code, person_key
        order by delivery_rank desc, registration_date desc nulls last,
            _row_number desc
    ) = 1
),

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
    from latest_registrations
)

select * from final
