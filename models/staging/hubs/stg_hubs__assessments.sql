with

source as (
    select * from {{ source('hubs', 'hub_assessments') }}
),

renamed as (
    select
        cast(_borough_code as varchar) as borough_code,
        cast(assessment_id as varchar) as assessment_id,
        cast(person_key as varchar) as person_key,
        cast(hub_id as varchar) as hub_id,
        cast(tool as varchar) as tool,
        cast(stage as varchar) as stage,
        cast(assessment_date as date) as assessment_date,
        cast(age_months as bigint) as age_months,
        cast(asq_communication as double) as asq_communication,
        cast(asq_gross_motor as double) as asq_gross_motor,
        cast(asq_fine_motor as double) as asq_fine_motor,
        cast(asq_problem_solving as double) as asq_problem_solving,
        cast(asq_personal_social as double) as asq_personal_social,
        cast(swemwbs_raw_total as bigint) as swemwbs_raw_total,
        cast(_delivery_id as varchar) as _delivery_id,
        cast(_period as varchar) as _period,
        cast(_row_number as bigint) as _row_number,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
)

select * from renamed
