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

assessments as (
    select * from {{ ref('stg_hubs__assessments') }}
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
        landed_deliveries.loaded_at as delivery_loaded_at
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
    qualify row_number() over (
        partition by borough_code, assessment_id
        order by delivery_loaded_at desc, _delivery_id desc, _row_number desc
    ) = 1
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
        {{ academic_year_of('assessment_date') }} as academic_year,
        {{ financial_quarter_of('assessment_date') }} as financial_quarter,
        _delivery_id
    from latest_assessments
)

select * from final
