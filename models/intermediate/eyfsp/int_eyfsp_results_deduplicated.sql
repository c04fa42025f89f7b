with

landed_deliveries as (
    select * from {{ ref('int_deliveries_landed') }}
    where extract_type = 'eyfsp'
),

results as (
    select * from {{ ref('stg_hubs__eyfsp_results') }}
),

landed_results as (
    select
        results.*,
        landed_deliveries.delivery_rank
    from results
    inner join landed_deliveries
        on results._delivery_id = landed_deliveries.delivery_id
    where results.pupil_key is not null
),

{#- One row per borough × pupil × academic year. A resubmitted file supersedes the earlier one at landing (its
    delivery is no longer `landed`). A pupil listed twice for the same year (in two landed files, or twice in
    one file, e.g. after a school move) keeps the row from the most recently loaded delivery, and within it
    the last row of the file. -#}
latest_results as (
    select *
    from landed_results
    qualify row_number() over (
        partition by borough_code, pupil_key, academic_year
        order by delivery_rank desc, _row_number desc
    ) = 1
),

final as (
    select * exclude (delivery_rank, _period, _loaded_at)
    from latest_results
)

select * from final
