{#- Each published value compared with the same value in the previous snapshot (previous run). -#}
with

snapshots as (
    select * from {{ ref('stg_dq__indicator_snapshots') }}
),

runs as (
    select run_id, min(snapshot_at) as snapshot_at from snapshots
    group by run_id
),

ordered_runs as (
    select
        run_id,
        snapshot_at,
        lag(run_id) over (order by snapshot_at, run_id) as previous_run_id
    from runs
),

compared as (
    select
        cur.run_id,
        r.previous_run_id,
        cur.snapshot_at,
        cur.metric_id,
        cur.geography_level,
        cur.geography_code,
        cur.borough_code,
        cur.period,
        cur.period_start,
        cur.period_end,
        cur.breakdown_type,
        cur.breakdown_value,
        cur.source_extract,
        prev.value as previous_value,
        cur.value as current_value,
        cur.value - prev.value as value_change,
        prev.numerator as previous_numerator,
        cur.numerator as current_numerator,
        prev.denominator as previous_denominator,
        cur.denominator as current_denominator,
        prev.suppression_symbol as previous_suppression_symbol,
        cur.suppression_symbol as current_suppression_symbol,
        prev.dq_status as previous_dq_status,
        cur.dq_status as current_dq_status
    from snapshots as cur
    inner join ordered_runs as r on r.run_id = cur.run_id
    inner join snapshots as prev
        on prev.run_id = r.previous_run_id
        and prev.metric_id = cur.metric_id
        and prev.geography_code = cur.geography_code
        and prev.period = cur.period
        and prev.breakdown_type = cur.breakdown_type
        and prev.breakdown_value = cur.breakdown_value
),

revised as (
    select * from compared
    where previous_value is distinct from current_value
        or previous_numerator is distinct from current_numerator
        or previous_denominator is distinct from current_denominator
        or previous_dq_status is distinct from current_dq_status
)

select * from revised
