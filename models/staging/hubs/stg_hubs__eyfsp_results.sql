with

source as (
    select * from {{ source('hubs', 'eyfsp_results') }}
),

renamed as (
    select
        cast(_borough_code as varchar) as borough_code,
        cast(pupil_key as varchar) as pupil_key,
        cast(academic_year as varchar) as academic_year,
        cast(school_urn as varchar) as school_urn,
        coalesce(cast(sex as varchar), 'unknown') as sex,
        cast(birth_month as date) as birth_month,
        cast(fsm as boolean) as fsm,
        coalesce(cast(sen_provision as varchar), 'unknown') as sen_provision,
        coalesce(cast(first_language as varchar), 'unknown') as first_language,
        coalesce(cast(ethnicity_group as varchar), 'unknown') as ethnicity_group,
        upper(trim(cast(home_lsoa as varchar))) as home_lsoa,
        lower(trim(cast(elg_listening_attention_understanding as varchar))) as elg_listening_attention_understanding,
        lower(trim(cast(elg_speaking as varchar))) as elg_speaking,
        lower(trim(cast(elg_self_regulation as varchar))) as elg_self_regulation,
        lower(trim(cast(elg_managing_self as varchar))) as elg_managing_self,
        lower(trim(cast(elg_building_relationships as varchar))) as elg_building_relationships,
        lower(trim(cast(elg_gross_motor_skills as varchar))) as elg_gross_motor_skills,
        lower(trim(cast(elg_fine_motor_skills as varchar))) as elg_fine_motor_skills,
        lower(trim(cast(elg_comprehension as varchar))) as elg_comprehension,
        lower(trim(cast(elg_word_reading as varchar))) as elg_word_reading,
        lower(trim(cast(elg_writing as varchar))) as elg_writing,
        lower(trim(cast(elg_number as varchar))) as elg_number,
        lower(trim(cast(elg_numerical_patterns as varchar))) as elg_numerical_patterns,
        lower(trim(cast(elg_past_and_present as varchar))) as elg_past_and_present,
        lower(trim(cast(elg_people_culture_and_communities as varchar))) as elg_people_culture_and_communities,
        lower(trim(cast(elg_the_natural_world as varchar))) as elg_the_natural_world,
        lower(trim(cast(elg_creating_with_materials as varchar))) as elg_creating_with_materials,
        lower(trim(cast(elg_being_imaginative_and_expressive as varchar))) as elg_being_imaginative_and_expressive,
        cast(_delivery_id as varchar) as _delivery_id,
        cast(_period as varchar) as _period,
        cast(_row_number as bigint) as _row_number,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
)

select * from renamed
