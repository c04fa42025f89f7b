{#-
    Arrival timeliness and row-count anomalies per delivery, against the borough's own history and its peers.
    lag_days: days between the end of the period a file covers and its arrival.
-#}
with

arrivals as (
    select * from {{ ref('stg_dq__delivery_arrivals') }}
    where delivery_status in ('landed', 'superseded') and borough_code is not null
),

lagged as (
    select
        *,
        date_diff('day', period_end, cast(received_at as date)) as lag_days,
        case when rows_delivered > 0 then rows_rejected / rows_delivered end as reject_share
    from arrivals
),

own_history as (
    select
        *,
        median(lag_days) over (
            partition by borough_code, extract_type order by received_at, delivery_id
            rows between unbounded preceding and 1 preceding
        ) as own_median_lag_days,
        median(rows_delivered) over (
            partition by borough_code, extract_type order by received_at, delivery_id
            rows between 6 preceding and 1 preceding
        ) as own_trailing_median_rows,
        count(*) over (
            partition by borough_code, extract_type order by received_at, delivery_id
            rows between 6 preceding and 1 preceding
        ) as own_history_deliveries,
        median(reject_share) over (
            partition by borough_code, extract_type order by received_at, delivery_id
            rows between 6 preceding and 1 preceding
        ) as own_trailing_median_reject_share
    from lagged
),

peers as (
    select
        mine.delivery_id,
        median(other.lag_days) as peer_median_lag_days,
        count(distinct other.borough_code) as peer_boroughs
    from lagged as mine
    inner join lagged as other
        on other.extract_type = mine.extract_type
        and other.period = mine.period
        and other.borough_code <> mine.borough_code
    group by mine.delivery_id
),

scored as (
    select
        h.delivery_id,
        h.run_id,
        h.borough_code,
        h.extract_type,
        h.period,
        h.cycle,
        h.received_at,
        h.delivery_status,
        h.lag_days,
        h.own_median_lag_days,
        p.peer_median_lag_days,
        coalesce(p.peer_boroughs, 0) as peer_boroughs,
        case
            when h.lag_days is null then 'unknown'
            when coalesce(h.own_median_lag_days, p.peer_median_lag_days) is null then 'no_history'
            when h.lag_days <= coalesce(h.own_median_lag_days, p.peer_median_lag_days)
                + {{ var('dq_late_tolerance_days', 7) }} then 'on_time'
            else 'late'
        end as timeliness,
        h.rows_delivered,
        h.own_trailing_median_rows,
        case
            when h.own_trailing_median_rows > 0 then h.rows_delivered / h.own_trailing_median_rows
        end as rows_ratio_to_trailing_median,
        coalesce(
            h.own_history_deliveries >= 3
            and h.own_trailing_median_rows > 0
            and abs(h.rows_delivered / h.own_trailing_median_rows - 1) > {{ var('dq_row_count_tolerance', 0.5) }},
            false
        ) as is_row_count_anomaly,
        h.reject_share,
        h.own_trailing_median_reject_share,
        coalesce(
            h.own_history_deliveries >= 3
            and h.reject_share > greatest(2 * h.own_trailing_median_reject_share, 0.02),
            false
        ) as is_reject_share_anomaly
    from own_history as h
    left join peers as p on p.delivery_id = h.delivery_id
)

select * from scored
