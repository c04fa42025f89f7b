with

results as (
    select * from {{ ref('int_eyfsp_results_scored') }}
),

deprivation as (
    select * from {{ ref('int_lsoa_deprivation') }}
),

{# IMD 2019 / IDACI 2019 quintiles (1 = most deprived) of the home LSOA; null when the LSOA is unknown
    or not an LSOA 2011 code. #}
final as (
    select
        results.eyfsp_result_key,
        results.pupil_key as person_key,
        results.borough_code,
        results.academic_year,
        results.school_urn,
        results.sex,
        results.birth_month,
        results.term_of_birth,
        results.is_summer_born,
        results.fsm,
        results.sen_provision,
        results.first_language,
        results.ethnicity_group,
        results.home_lsoa,
        cast(deprivation.imd_quintile as integer) as imd_quintile,
        cast(deprivation.idaci_quintile as integer) as idaci_quintile,
        results.elgs_judged_count,
        results.elgs_expected_count,
        results.is_complete_profile,
        results.is_gld,
        results.is_all_elgs_expected,
        results.is_comm_lang_lit_expected,
        results.is_communication_and_language_expected,
        results.is_personal_social_emotional_expected,
        results.is_physical_development_expected,
        results.is_literacy_expected,
        results.is_mathematics_expected,
        results.is_understanding_the_world_expected,
        results.is_expressive_arts_and_design_expected,
        results._delivery_id
    from results
    left join deprivation
        on results.home_lsoa = deprivation.lsoa_code
)

select * from final
