{#- Published values revised between runs, with the deliveries (landed in the revising run) that explain them. -#}
with

revised as (
    select * from {{ ref('int_indicator_snapshots_compared') }}
),

arrivals as (
    select * from {{ ref('stg_dq__delivery_arrivals') }}
),

explained as (
    select
        r.run_id,
        r.metric_id,
        r.geography_code,
        r.period,
        r.breakdown_type,
        r.breakdown_value,
        string_agg(distinct a.delivery_id, ', ' order by a.delivery_id) as causing_delivery_ids,
        string_agg(distinct a.delivery_label, ', ' order by a.delivery_label) as causing_deliveries
    from revised as r
    inner join arrivals as a
        on a.run_id = r.run_id
        and (r.borough_code is null or a.borough_code = r.borough_code)
        and (
            r.source_extract is null
            or list_contains(string_split_regex(r.source_extract, '[,;+/| ]+'), a.extract_type)
        )
        and (a.period_start is null or r.period_end is null or r.period_end > a.period_start)
        and (a.period_end is null or r.period_start is null or a.period_end > r.period_start)
    group by all
),

final as (
    select
        r.run_id,
        r.previous_run_id,
        r.snapshot_at,
        r.metric_id,
        r.geography_level,
        r.geography_code,
        r.borough_code,
        r.period,
        r.breakdown_type,
        r.breakdown_value,
        r.previous_value,
        r.current_value,
        r.value_change,
        r.previous_numerator,
        r.current_numerator,
        r.previous_denominator,
        r.current_denominator,
        r.previous_dq_status,
        r.current_dq_status,
        case
            when r.current_dq_status = 'withheld' and (r.previous_dq_status is distinct from 'withheld')
                then 'newly withheld'
            when r.previous_dq_status = 'withheld' and (r.current_dq_status is distinct from 'withheld')
                then 'restored after withholding'
            when r.current_value is null and r.previous_value is not null then 'newly suppressed'
            when r.previous_value is null and r.current_value is not null then 'no longer suppressed'
            else 'value revised'
        end as revision_kind,
        e.causing_delivery_ids,
        e.causing_deliveries
    from revised as r
    left join explained as e
        on e.run_id = r.run_id
        and e.metric_id = r.metric_id
        and e.geography_code = r.geography_code
        and e.period = r.period
        and e.breakdown_type = r.breakdown_type
        and e.breakdown_value = r.breakdown_value
)

select * from final
