-- The month → period mapping used by the facts agrees with dim_periods (each month lies inside its academic
-- year, financial year and quarter) and with known boundaries: August 2024 is in 2023/24 and September 2024
-- in 2024/25; March 2024 is 2023/24 Q4, April 2024 is 2024/25 Q1, January 2025 is 2024/25 Q4.
with

months as (
    select * from {{ ref('int_calendar_months') }}
),

periods as (
    select * from {{ ref('dim_periods') }}
),

outside_period as (
    select months.month_start, periods.period
    from months
    inner join periods
        on periods.period in (months.academic_year, months.financial_year, months.financial_quarter)
    where months.month_start not between periods.start_date and periods.end_date
),

known as (
    select * from (
        values
        (date '2024-08-01', '2023/24', '2024/25 FY', '2024/25 Q2'),
        (date '2024-09-01', '2024/25', '2024/25 FY', '2024/25 Q2'),
        (date '2024-03-01', '2023/24', '2023/24 FY', '2023/24 Q4'),
        (date '2024-04-01', '2023/24', '2024/25 FY', '2024/25 Q1'),
        (date '2024-06-01', '2023/24', '2024/25 FY', '2024/25 Q1'),
        (date '2024-07-01', '2023/24', '2024/25 FY', '2024/25 Q2'),
        (date '2024-10-01', '2024/25', '2024/25 FY', '2024/25 Q3'),
        (date '2024-12-01', '2024/25', '2024/25 FY', '2024/25 Q3'),
        (date '2025-01-01', '2024/25', '2024/25 FY', '2024/25 Q4')
    ) as t (month_start, academic_year, financial_year, financial_quarter)  -- noqa: AL05
),

wrong_known as (
    select known.month_start, 'boundary' as period
    from known
    left join months on known.month_start = months.month_start
    where months.academic_year is distinct from known.academic_year
        or months.financial_year is distinct from known.financial_year
        or months.financial_quarter is distinct from known.financial_quarter
),

final as (
    select * from outside_period
    union all
    select * from wrong_known
)

select * from final
