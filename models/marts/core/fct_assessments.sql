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

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'assessments'
),

{#- `not materialized`: read twice on an incremental night (macros/incremental_deliveries.sql). -#}
assessments as not materialized (
    select * from {{ ref('stg_hubs__assessments') }}
),

calendar_months as (
    select * from {{ ref('int_calendar_months') }}
),

{% if is_incremental() %}
changed_deliveries as (
    {{ changed_delivery_ids('landed_deliveries') }}
),

affected_assessments as (
    select distinct borough_code, assessment_id
    from assessments
    where _delivery_id in (select delivery_id from changed_deliveries)
),
{% endif %}

landed_assessments as (
    select
        assessments.*,
        -- one comparable number per row: later delivery first, then later row in the file
        landed_deliveries.delivery_rank * 4294967296 + assessments._row_number as row_precedence
    from assessments
    inner join landed_deliveries
        on assessments._delivery_id = landed_deliveries.delivery_id
    {% if is_incremental() %}
    semi join affected_assessments
        on assessments.borough_code = affected_assessments.borough_code
        and assessments.assessment_id = affected_assessments.assessment_id
    {% endif %}
),

{#- One row per borough × assessment id: the most recently loaded landed delivery wins; within one file the
    last row wins. -#}
latest_assessments as (
    select *
    from landed_assessments
    -- row_precedence is unique per row (delivery_rank is a row_number, _row_number is unique in a file), so
    -- this keeps exactly the row holding max(row_precedence) of its key, in one pass over the landed rows
    -- (an aggregate of the winners joined back to the landed rows read them twice: ~20 % slower at London scale)
    qualify row_number() over (partition by borough_code, assessment_id order by row_precedence desc) = 1
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
    from latest_assessments
    left join calendar_months
        on date_trunc('month', latest_assessments.assessment_date) = calendar_months.month_start
)

select * from final
