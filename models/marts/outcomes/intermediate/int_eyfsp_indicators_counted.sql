-- sqlfluff:exclude_rules:AL03,AM04,LT09,RF02,RF03,RF04,ST06,ST09,LT02
{# LT02 is left out here too: SQLFluff cannot place the indentation of the lines the Jinja loops below
   generate (the other rules apply; .sqlfluff says why those are left out). #}
{#- One row per EYFSP metric × borough × academic year × breakdown: numerator and denominator from pupil-level
    results. GLD and the other proportions count children with a completed profile (all 17 ELGs judged; DfE's
    convention); the Reception cohort known to hubs counts every child in the return. -#}
{%- set proportion_metrics = [
    ('eyfs_gld', 'is_gld'),
    ('eyfs_all_elgs', 'is_all_elgs_expected'),
    ('eyfs_comm_lang_lit', 'is_comm_lang_lit_expected'),
    ('eyfs_area_communication_and_language', 'is_communication_and_language_expected'),
    ('eyfs_area_personal_social_emotional', 'is_personal_social_emotional_expected'),
    ('eyfs_area_physical_development', 'is_physical_development_expected'),
    ('eyfs_area_literacy', 'is_literacy_expected'),
    ('eyfs_area_mathematics', 'is_mathematics_expected'),
    ('eyfs_area_understanding_the_world', 'is_understanding_the_world_expected'),
    ('eyfs_area_expressive_arts_and_design', 'is_expressive_arts_and_design_expected'),
] -%}

with

results as (
    select * from {{ ref('fct_eyfsp_results') }}
),

registrations as (
    select * from {{ ref('fct_hub_registrations') }}
),

known_to_hubs as (
    select distinct borough_code, person_key
    from registrations
),

pupils as (
    select
        results.*,
        known_to_hubs.person_key is not null as is_known_to_hub
    from results
    left join known_to_hubs
        on results.borough_code = known_to_hubs.borough_code
        and results.person_key = known_to_hubs.person_key
),

{# Each pupil appears once per breakdown type: 'total' plus the DfE breakdowns. #}
pupil_breakdowns as (
    select
        pupils.*,
        breakdown.breakdown_type,  -- noqa: RF01
        breakdown.breakdown_value  -- noqa: RF01
    from pupils
    cross join unnest([
        { 'breakdown_type': 'total', 'breakdown_value': 'total' },
        { 'breakdown_type': 'sex', 'breakdown_value': coalesce(sex, 'unknown') },
        { 'breakdown_type': 'fsm', 'breakdown_value': case fsm when true then 'fsm_eligible'
            when false then 'not_fsm_eligible' else 'unknown'
        end },
        { 'breakdown_type': 'sen_provision', 'breakdown_value': coalesce(sen_provision, 'unknown') },
        { 'breakdown_type': 'first_language', 'breakdown_value': coalesce(first_language, 'unknown') },
        { 'breakdown_type': 'term_of_birth', 'breakdown_value': coalesce(term_of_birth, 'unknown') },
        { 'breakdown_type': 'ethnicity_group', 'breakdown_value': coalesce(ethnicity_group, 'unknown') },
        { 'breakdown_type': 'imd_quintile', 'breakdown_value': coalesce(cast(imd_quintile as varchar), 'unknown') },
        { 'breakdown_type': 'idaci_quintile', 'breakdown_value': coalesce(cast(idaci_quintile as varchar), 'unknown') }
    ]) as t (breakdown)
),

aggregated as (
    select
        borough_code,
        academic_year as period,
        breakdown_type,
        breakdown_value,
        count(*) filter (where is_complete_profile) as complete_profiles,
        count(*) as cohort,
        count(*) filter (where is_known_to_hub) as known_to_hub,
        sum(elgs_expected_count) filter (where is_complete_profile) as elgs_expected_total,
        sum(elgs_expected_count * elgs_expected_count) filter (where is_complete_profile) as elgs_expected_squares
        {%- for metric_id, flag in proportion_metrics %},
        count(*) filter (where is_complete_profile and {{ flag }}) as {{ metric_id }}
    {%- endfor %}
    from pupil_breakdowns
    group by all
),

unpivoted as (
    {%- for metric_id, flag in proportion_metrics %}
    select
        '{{ metric_id }}' as metric_id, borough_code, period, breakdown_type, breakdown_value,
        cast({{ metric_id }} as double) as numerator,
        cast(complete_profiles as double) as denominator,
        cast(null as double) as sum_of_squares
    from aggregated
    union all
    {%- endfor %}
    select
        'eyfs_avg_elgs', borough_code, period, breakdown_type, breakdown_value,
        cast(coalesce(elgs_expected_total, 0) as double), cast(complete_profiles as double),
        cast(coalesce(elgs_expected_squares, 0) as double)
    from aggregated
    union all
    select
        'eyfs_cohort_known_to_hubs', borough_code, period, breakdown_type, breakdown_value,
        cast(known_to_hub as double), cast(cohort as double), cast(null as double)
    from aggregated
    where breakdown_type = 'total'
),

final as (
    select
        metric_id,
        'borough' as geography_level,
        borough_code as geography_code,
        borough_code,
        cast(null as varchar) as hub_id,
        period,
        breakdown_type,
        breakdown_value,
        numerator,
        denominator,
        sum_of_squares
    from unpivoted
)

select * from final
