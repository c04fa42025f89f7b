-- Denominator rule (doc eyfsp_denominator): a child without a completed profile (fewer than 17 ELGs judged)
-- counts in no numerator; GLD implies expected in at least the 12 GLD ELGs; all-ELGs-expected implies 17.
with

results as (
    select * from {{ ref('fct_eyfsp_results') }}
),

final as (
    select *
    from results
    where (is_complete_profile <> (elgs_judged_count = 17))
        or (not is_complete_profile and (
            is_gld or is_all_elgs_expected or is_comm_lang_lit_expected
            or is_communication_and_language_expected or is_personal_social_emotional_expected
            or is_physical_development_expected or is_literacy_expected or is_mathematics_expected
            or is_understanding_the_world_expected or is_expressive_arts_and_design_expected
        ))
        or (is_gld and elgs_expected_count < 12)
        or (is_all_elgs_expected <> (is_complete_profile and elgs_expected_count = 17))
        or (is_all_elgs_expected and not is_gld)
        or elgs_expected_count > elgs_judged_count
)

select * from final
