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

expected as (
    select count(distinct (contacts.borough_code, contacts.contact_id)) as contact_count
    from contacts
    semi join landed on contacts._delivery_id = landed.delivery_id
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
