-- The four financial quarters of each financial year are contiguous and cover it exactly (Q1 starts on
-- 1 April, Q4 ends on 31 March); each academic year runs 1 September – 31 August. Returns offending periods.
with

periods as (
    select * from {{ ref('dim_periods') }}
),

quarters as (
    select
        financial_year,
        min(start_date) as first_day,
        max(end_date) as last_day,
        sum(end_date - start_date + 1) as days_covered,
        count(*) as quarter_count
    from periods
    where period_type = 'financial_quarter'
    group by financial_year
),

years as (
    select * from periods
    where period_type = 'financial_year'
),

quarter_gaps as (
    select years.period
    from years
    left join quarters on years.period = quarters.financial_year
    where quarters.quarter_count is distinct from 4
        or quarters.first_day <> years.start_date
        or quarters.last_day <> years.end_date
        or quarters.days_covered <> years.end_date - years.start_date + 1
),

academic_gaps as (
    select period
    from periods
    where period_type = 'academic_year'
        and (strftime(start_date, '%m-%d') <> '09-01' or end_date <> start_date + interval 1 year - interval 1 day)
),

final as (
    select period from quarter_gaps
    union all
    select period from academic_gaps
)

select * from final
