{#- One row per financial quarter with hub activity (contacts or referrals): a fingerprint of every input row
    the hub-activity counts of that quarter depend on. int_hub_activity_indicators_counted recomputes only
    the quarters whose fingerprint changed since it was last built (issue 7: a night of new contact files
    recomputes the quarters those files touch, not five years of contacts).

    A quarter's counts depend on its own contacts and referrals, and on every registration (children known
    to the hubs, any quarter) and the LSOA deprivation reference (resident under-5 denominators). So:
    fingerprint = hash(the quarter's contact rows, the quarter's referral rows, all registration rows, all
    LSOA rows), each part as (row count, sum of whole-row hashes), which changes when any row is added,
    removed or has any column changed. A change of registrations or the reference therefore recomputes
    every quarter; a new day of contacts recomputes one. -#}
with

contacts as (
    select * from {{ ref('fct_hub_contacts') }}
),

referrals as (
    select * from {{ ref('fct_referrals') }}
),

registrations as (
    select * from {{ ref('fct_hub_registrations') }}
),

lsoas as (
    select * from {{ ref('int_lsoa_deprivation') }}
),

contact_parts as (
    select
        financial_quarter as period,
        count(*) as row_count,
        sum(hash(contacts)) as row_hash_sum
    from contacts
    where financial_quarter is not null
    group by financial_quarter
),

referral_parts as (
    select
        financial_quarter as period,
        count(*) as row_count,
        sum(hash(referrals)) as row_hash_sum
    from referrals
    where financial_quarter is not null
    group by financial_quarter
),

shared_part as (
    select hash(
        (select count(*) from registrations),
        (select sum(hash(registrations)) from registrations),
        (select count(*) from lsoas),
        (select sum(hash(lsoas)) from lsoas)
    ) as shared_hash
),

periods as (
    select period from contact_parts
    union
    select period from referral_parts
),

final as (
    select
        periods.period,
        coalesce(contact_parts.row_count, 0) as contact_rows,
        coalesce(referral_parts.row_count, 0) as referral_rows,
        hash(
            coalesce(contact_parts.row_count, 0),
            coalesce(contact_parts.row_hash_sum, 0),
            coalesce(referral_parts.row_count, 0),
            coalesce(referral_parts.row_hash_sum, 0),
            shared_part.shared_hash
        ) as inputs_fingerprint
    from periods
    cross join shared_part
    left join contact_parts
        on periods.period = contact_parts.period
    left join referral_parts
        on periods.period = referral_parts.period
)

select * from final
