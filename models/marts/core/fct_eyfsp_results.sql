with

results as (
    select * from {{ ref('int_eyfsp_results_scored') }}
),

{#- IMD/IDACI quintiles of the home LSOA join here once int_lsoa_deprivation (real IMD 2019 files) exists;
    until then they are null, as they are for an unknown LSOA. -#}
final as (
    select
        eyfsp_result_key,
        pupil_key as person_key,
        borough_code,
        academic_year,
        school_urn,
        sex,
        birth_month,
        term_of_birth,
        is_summer_born,
        fsm,
        sen_provision,
        first_language,
        ethnicity_group,
        home_lsoa,
        cast(null as integer) as imd_quintile,
        cast(null as integer) as idaci_quintile,
        elgs_judged_count,
        elgs_expected_count,
        is_complete_profile,
        is_gld,
        is_all_elgs_expected,
        is_comm_lang_lit_expected,
        is_communication_and_language_expected,
        is_personal_social_emotional_expected,
        is_physical_development_expected,
        is_literacy_expected,
        is_mathematics_expected,
        is_understanding_the_world_expected,
        is_expressive_arts_and_design_expected,
        _delivery_id
    from results
)

select * from final
