{#- A view: the rows are de-duplicated and stored, incrementally, by int_assessments_deduplicated; a table here
    would copy every row again each night (12 M contacts at London scale). -#}
{{ config(materialized='view') }}

with

deduplicated as (
    select * from {{ ref('int_assessments_deduplicated') }}
),

final as (
    select
        assessment_key,
        borough_code,
        hub_id,
        person_key,
        tool,
        stage,
        assessment_date,
        age_months,
        asq_communication,
        asq_gross_motor,
        asq_fine_motor,
        asq_problem_solving,
        asq_personal_social,
        swemwbs_raw_total,
        academic_year,
        financial_quarter,
        _delivery_id
    from deduplicated
)

select * from final
