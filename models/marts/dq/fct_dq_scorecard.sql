{#-
    Score per borough × performance cycle × dimension: 100 × (passed + ½ warned) / evaluated, from every
    check evaluated in the cycle plus delivery timeliness (on time vs own history/peers) and row-count
    plausibility (rows vs the borough's trailing median). 'overall' pools every evaluation.
-#}
with

checks as (
    select borough_code, cycle, dimension, status
    from {{ ref('stg_dq__check_results') }}
    where borough_code is not null
),

arrivals as (
    select * from {{ ref('int_delivery_arrivals_scored') }}
),

timeliness as (
    select
        borough_code,
        cycle,
        'timeliness' as dimension,
        case timeliness when 'late' then 'fail' else 'pass' end as status
    from arrivals
    where timeliness in ('on_time', 'late')
),

row_counts as (
    select
        borough_code,
        cycle,
        'plausibility' as dimension,
        case when is_row_count_anomaly or is_reject_share_anomaly then 'warn' else 'pass' end as status
    from arrivals
    where own_trailing_median_rows is not null
),

evaluations as (
    select * from checks
    union all
    select * from timeliness
    union all
    select * from row_counts
),

with_overall as (
    select * from evaluations
    union all
    select borough_code, cycle, 'overall' as dimension, status from evaluations
),

arrival_detail as (
    select
        borough_code,
        cycle,
        count(*) filter (where timeliness = 'late') as deliveries_late,
        count(*) filter (where timeliness in ('on_time', 'late')) as deliveries_scored,
        median(lag_days) as median_lag_days,
        median(own_median_lag_days) as own_usual_lag_days,
        median(peer_median_lag_days) as peer_lag_days,
        count(*) filter (where is_row_count_anomaly) as row_count_anomalies
    from arrivals
    group by borough_code, cycle
),

scored as (
    select
        borough_code,
        cycle,
        dimension,
        cast(count(*) as bigint) as checks_total,
        cast(count(*) filter (where status = 'pass') as bigint) as checks_passed,
        cast(count(*) filter (where status = 'warn') as bigint) as checks_warned,
        cast(count(*) filter (where status = 'fail') as bigint) as checks_failed,
        round(
            100.0 * (count(*) filter (where status = 'pass') + 0.5 * count(*) filter (where status = 'warn'))
            / count(*),
            1
        ) as score
    from with_overall
    group by borough_code, cycle, dimension
),

trended as (
    select
        *,
        lag(score) over (partition by borough_code, dimension order by cycle) as previous_score
    from scored
),

final as (
    select
        t.borough_code,
        t.cycle,
        t.dimension,
        t.checks_total,
        t.checks_passed,
        t.checks_warned,
        t.checks_failed,
        cast(t.score as double) as score,
        cast(t.previous_score as double) as previous_score,
        cast(round(t.score - t.previous_score, 1) as double) as score_change,
        case
            when t.previous_score is null then null
            when t.score - t.previous_score > {{ var('dq_score_trend_points', 5) }} then 'improving'
            when t.score - t.previous_score < -{{ var('dq_score_trend_points', 5) }} then 'declining'
            else 'stable'
        end as trend,
        case
            when t.dimension = 'timeliness' and a.deliveries_scored > 0
                then
                    cast(a.deliveries_late as varchar) || ' of ' || cast(a.deliveries_scored as varchar)
                    || ' deliveries late; median lag ' || coalesce(cast(round(a.median_lag_days) as varchar), '?')
                    || ' days (usually ' || coalesce(cast(round(a.own_usual_lag_days) as varchar), 'no history')
                    || ', peers ' || coalesce(cast(round(a.peer_lag_days) as varchar), 'no peers') || ')'
            when t.dimension = 'plausibility' and a.row_count_anomalies > 0 then
                cast(a.row_count_anomalies as varchar) || ' deliveries with unusual row counts'
        end as detail
    from trended as t
    left join arrival_detail as a on a.borough_code = t.borough_code and a.cycle = t.cycle
)

select * from final
