-- DfE statistical neighbours (CSNBT), both models, one row per model x LA (SN1..SN10 + closeness band).
{%- set ranks = range(1, 11) %}
with

model_2021 as (
    select 2021 as model_year, * from {{ source('dfe', 'dfe_statistical_neighbours_2021') }}
),

model_2025 as (
    select 2025 as model_year, * from {{ source('dfe', 'dfe_statistical_neighbours_2025') }}
),

unioned as (
    select * from model_2021
    union all by name
    select * from model_2025
),

renamed as (
    select
        model_year,
        la_num_int as dfe_la_code,
        trim(la_name) as la_name,
        trim(go_reg) as government_office_region,
        {%- for r in ranks %}
        sn{{ r }}_int as neighbour_{{ r }}_dfe_la_code,
        -- capitalisation differs between releases ("Very Close" 2021, "Very close" 2025)
        nullif(lower(trim(snp{{ r }})), '-') as neighbour_{{ r }}_closeness,
        {%- endfor %}
        _source_file,
        _row_number
    from unioned
)

select * from renamed
