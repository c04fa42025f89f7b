with

registrations as (
    select * from {{ ref('int_hub_registrations_deduplicated') }}
),

{#- IMD/IDACI quintiles of the home LSOA join here once int_lsoa_deprivation (real IMD 2019 files) exists;
    until then they are null, as they are for an unknown LSOA. -#}
final as (
    select
        person_key,
        family_key,
        borough_code,
        hub_id,
        role,
        birth_month,
        sex,
        ethnicity_group,
        home_lsoa,
        cast(null as integer) as imd_quintile,
        cast(null as integer) as idaci_quintile,
        send_flag,
        first_language,
        registration_date,
        consent_data_sharing
    from registrations
)

select * from final
