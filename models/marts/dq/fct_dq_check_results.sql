with

checks as (
    select * from {{ ref('stg_dq__check_results') }}
),

latest_run as (
    select run_id from checks
    order by checked_at desc, run_id desc limit 1
),

prioritised as (
    select
        checks.*,
        checks.run_id in (select run_id from latest_run) as is_latest_run,
        case
            when checks.status = 'pass' then null
            else row_number() over (
                    partition by checks.run_id, checks.borough_code, checks.status = 'pass'
                    order by
                        case checks.severity when 'blocking_all' then 1 when 'withhold_scope' then 2 else 3 end,
                        case checks.status when 'fail' then 1 else 2 end,
                        checks.failing_rows desc nulls last,
                        checks.check_name asc,
                        -- the tie-breaker: check_id is unique within a run, so the order is total and the
                        -- same results get the same priorities every run
                        checks.check_id asc
                )
        end as fix_priority
    from checks
),

final as (
    select
        run_id,
        check_id,
        checked_at,
        cycle,
        is_latest_run,
        borough_code,
        extract_type,
        period,
        check_name,
        source,
        target_relation,
        dimension,
        severity,
        status,
        observed_value,
        failing_rows,
        failing_sample,
        message,
        fix,
        cast(fix_priority as bigint) as fix_priority
    from prioritised
)

select * from final
