-- fct_hub_contacts holds exactly one row per borough × contact id found in landed contacts deliveries
-- (nothing lost, nothing doubled by deduplication or by an incremental night). Returns a row when not.
with

landed as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'contacts'
),

contacts as (
    select * from {{ ref('stg_hubs__contacts') }}
),

landed_keys as (
    select contacts.borough_code, contacts.contact_id
    from contacts
    semi join landed on contacts._delivery_id = landed.delivery_id
    group by all
),

{# a grouped count: count(distinct (borough_code, contact_id)) gives the same number ~1.5x slower at London scale #}
expected as (
    select count(*) as contact_count
    from landed_keys
),

actual as (
    select count(*) as contact_count from {{ ref('fct_hub_contacts') }}
),

final as (
    select expected.contact_count as expected_count, actual.contact_count as actual_count
    from expected
    cross join actual
    where expected.contact_count <> actual.contact_count
)

select * from final
