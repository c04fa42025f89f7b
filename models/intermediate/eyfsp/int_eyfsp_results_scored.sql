{#-
    EYFSP headline measures per pupil, exactly as ../shared/domain/eyfs.md and DfE define them
    (doc block `eyfsp_measures`):
      * completed profile = all 17 ELGs judged (`emerging` or `expected`); only completed profiles enter the
        denominator, so every measure flag below is false for an incomplete profile;
      * GLD = expected in all 12 ELGs of the prime areas (C&L, PSED, physical) plus literacy and mathematics;
      * all ELGs expected = expected in all 17; C&L + literacy = expected in those 5 ELGs;
      * one flag per area of learning (all its ELGs expected);
      * term of birth from the birth month: autumn Sep–Dec, spring Jan–Apr, summer May–Aug.
-#}
with

results as (
    select * from {{ ref('int_eyfsp_results_deduplicated') }}
),

counted as (
    select
        *,
        cast(coalesce(elg_listening_attention_understanding in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_speaking in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_self_regulation in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_managing_self in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_building_relationships in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_gross_motor_skills in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_fine_motor_skills in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_comprehension in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_word_reading in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_writing in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_number in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_numerical_patterns in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_past_and_present in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_people_culture_and_communities in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_the_natural_world in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_creating_with_materials in ('emerging', 'expected'), false) as integer)
        + cast(coalesce(elg_being_imaginative_and_expressive in ('emerging', 'expected'), false) as integer)
            as elgs_judged_count,
        cast(coalesce(elg_listening_attention_understanding = 'expected', false) as integer)
        + cast(coalesce(elg_speaking = 'expected', false) as integer)
        + cast(coalesce(elg_self_regulation = 'expected', false) as integer)
        + cast(coalesce(elg_managing_self = 'expected', false) as integer)
        + cast(coalesce(elg_building_relationships = 'expected', false) as integer)
        + cast(coalesce(elg_gross_motor_skills = 'expected', false) as integer)
        + cast(coalesce(elg_fine_motor_skills = 'expected', false) as integer)
        + cast(coalesce(elg_comprehension = 'expected', false) as integer)
        + cast(coalesce(elg_word_reading = 'expected', false) as integer)
        + cast(coalesce(elg_writing = 'expected', false) as integer)
        + cast(coalesce(elg_number = 'expected', false) as integer)
        + cast(coalesce(elg_numerical_patterns = 'expected', false) as integer)
        + cast(coalesce(elg_past_and_present = 'expected', false) as integer)
        + cast(coalesce(elg_people_culture_and_communities = 'expected', false) as integer)
        + cast(coalesce(elg_the_natural_world = 'expected', false) as integer)
        + cast(coalesce(elg_creating_with_materials = 'expected', false) as integer)
        + cast(coalesce(elg_being_imaginative_and_expressive = 'expected', false) as integer) as elgs_expected_count
    from results
),

profiled as (
    select
        *,
        elgs_judged_count = 17 as is_complete_profile
    from counted
),

scored as (
    select
        *,
        case
            when month(birth_month) between 9 and 12 then 'autumn'
            when month(birth_month) between 1 and 4 then 'spring'
            when month(birth_month) between 5 and 8 then 'summer'
        end as term_of_birth,
        is_complete_profile
        and elg_listening_attention_understanding = 'expected'
        and elg_speaking = 'expected'
        and elg_self_regulation = 'expected'
        and elg_managing_self = 'expected'
        and elg_building_relationships = 'expected'
        and elg_gross_motor_skills = 'expected'
        and elg_fine_motor_skills = 'expected'
        and elg_comprehension = 'expected'
        and elg_word_reading = 'expected'
        and elg_writing = 'expected'
        and elg_number = 'expected'
        and elg_numerical_patterns = 'expected'
            as is_gld,
        is_complete_profile and elgs_expected_count = 17 as is_all_elgs_expected,
        is_complete_profile
        and elg_listening_attention_understanding = 'expected'
        and elg_speaking = 'expected'
        and elg_comprehension = 'expected'
        and elg_word_reading = 'expected'
        and elg_writing = 'expected'
            as is_comm_lang_lit_expected,
        is_complete_profile
        and elg_listening_attention_understanding = 'expected'
        and elg_speaking = 'expected'
            as is_communication_and_language_expected,
        is_complete_profile
        and elg_self_regulation = 'expected'
        and elg_managing_self = 'expected'
        and elg_building_relationships = 'expected'
            as is_personal_social_emotional_expected,
        is_complete_profile
        and elg_gross_motor_skills = 'expected'
        and elg_fine_motor_skills = 'expected'
            as is_physical_development_expected,
        is_complete_profile
        and elg_comprehension = 'expected'
        and elg_word_reading = 'expected'
        and elg_writing = 'expected'
            as is_literacy_expected,
        is_complete_profile
        and elg_number = 'expected'
        and elg_numerical_patterns = 'expected'
            as is_mathematics_expected,
        is_complete_profile
        and elg_past_and_present = 'expected'
        and elg_people_culture_and_communities = 'expected'
        and elg_the_natural_world = 'expected'
            as is_understanding_the_world_expected,
        is_complete_profile
        and elg_creating_with_materials = 'expected'
        and elg_being_imaginative_and_expressive = 'expected'
            as is_expressive_arts_and_design_expected
    from profiled
),

final as (
    select
        eyfsp_result_key,
        borough_code,
        pupil_key,
        academic_year,
        school_urn,
        sex,
        birth_month,
        term_of_birth,
        term_of_birth = 'summer' as is_summer_born,
        fsm,
        sen_provision,
        first_language,
        ethnicity_group,
        home_lsoa,
        elg_listening_attention_understanding,
        elg_speaking,
        elg_self_regulation,
        elg_managing_self,
        elg_building_relationships,
        elg_gross_motor_skills,
        elg_fine_motor_skills,
        elg_comprehension,
        elg_word_reading,
        elg_writing,
        elg_number,
        elg_numerical_patterns,
        elg_past_and_present,
        elg_people_culture_and_communities,
        elg_the_natural_world,
        elg_creating_with_materials,
        elg_being_imaginative_and_expressive,
        cast(elgs_judged_count as integer) as elgs_judged_count,
        cast(elgs_expected_count as integer) as elgs_expected_count,
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
    from scored
)

select * from final
