-- One row per model (2021 / 2025) x local authority x neighbour: DfE statistical neighbours, ranked 1-10.
with

neighbours as (
    select * from {{ ref('stg_dfe__statistical_neighbours') }}
),

la_codes as (
    select * from {{ ref('int_la_codes') }}
),

dfe_to_ons as (
    select distinct dfe_la_code, current_la_code
    from la_codes
    where geography_type = 'local_authority' and dfe_la_code is not null and not is_combined_area
),

unpivoted as (
    {%- for r in range(1, 11) %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        model_year, dfe_la_code, la_name, {{ r }} as neighbour_rank,
        neighbour_{{ r }}_dfe_la_code as neighbour_dfe_la_code,
        neighbour_{{ r }}_closeness as closeness
    from neighbours
    {%- endfor %}
),

final as (
    select
        unpivoted.model_year as model,
        la.current_la_code as borough_code,
        cast(unpivoted.dfe_la_code as varchar) as borough_dfe_la_code,
        unpivoted.la_name as borough_name,
        nb.current_la_code as neighbour_code,
        cast(unpivoted.neighbour_dfe_la_code as varchar) as neighbour_dfe_la_code,
        unpivoted.neighbour_rank as rank,
        unpivoted.closeness
    from unpivoted
    left join dfe_to_ons as la on cast(unpivoted.dfe_la_code as varchar) = la.dfe_la_code
    left join dfe_to_ons as nb on cast(unpivoted.neighbour_dfe_la_code as varchar) = nb.dfe_la_code
    where unpivoted.neighbour_dfe_la_code is not null
)

select * from final
