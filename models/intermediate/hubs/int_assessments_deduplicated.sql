{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='assessment_key',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_rows_of_withdrawn_deliveries('assessments') }}"
    )
}}

with

{#- One row per borough × assessment id (macros/incremental_deliveries.sql). #}
{{ latest_landed_rows('stg_hubs__assessments', 'assessments', ['borough_code', 'assessment_id']) }},

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

final as (
    select
        {{ surrogate_key(['borough_code', 'assessment_id']) }} as assessment_key,
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
        calendar_months.academic_year,
        calendar_months.financial_quarter,
        _delivery_id
    from latest_rows
    left join calendar_months
        on date_trunc('month', latest_rows.assessment_date) = calendar_months.month_start
)

select * from final
