with

registrations as (
    select * from {{ ref('int_hub_registrations_deduplicated') }}
),

deprivation as (
    select * from {{ ref('int_lsoa_deprivation') }}
),

{# IMD 2019 / IDACI 2019 quintiles (1 = most deprived) of the home LSOA; null when the LSOA is unknown
    or not an LSOA 2011 code. #}
final as (
    select
        registrations.person_key,
        registrations.family_key,
        registrations.borough_code,
        registrations.hub_id,
        registrations.role,
        registrations.birth_month,
        registrations.sex,
        registrations.ethnicity_group,
        registrations.home_lsoa,
        cast(deprivation.imd_quintile as integer) as imd_quintile,
        cast(deprivation.idaci_quintile as integer) as idaci_quintile,
        registrations.send_flag,
        registrations.first_language,
        registrations.registration_date,
        registrations.consent_data_sharing
    from registrations
    left join deprivation
        on registrations.home_lsoa = deprivation.lsoa_code
)

select * from final
