-- fix_priority ranks a borough's problems in a run 1, 2, 3 ... without ties or gaps, by the documented rule:
-- blocking before withholding before warnings, failures before warnings, most failing rows first, then check
-- name, then check id. A rule without its last tie-breaker leaves the order of tied problems to the order DuckDB
-- happens to read them in, and the published priorities differ from run to run.
with

check_results as (
    select * from {{ ref('fct_dq_check_results') }}
),

problems as (
    select
        run_id,
        borough_code,
        check_id,
        fix_priority,
        row_number() over (
            partition by run_id, borough_code
            order by
                case severity when 'blocking_all' then 1 when 'withhold_scope' then 2 else 3 end,
                case status when 'fail' then 1 else 2 end,
                failing_rows desc nulls last,
                check_name asc,
                check_id asc
        ) as expected_priority
    from check_results
    where status != 'pass'
),

passes_with_priority as (
    select
        run_id,
        borough_code,
        check_id,
        fix_priority,
        cast(null as bigint) as expected_priority
    from check_results
    where status = 'pass' and fix_priority is not null
),

final as (
    select * from problems
    where fix_priority is distinct from expected_priority
    union all
    select * from passes_with_priority
)

select * from final
