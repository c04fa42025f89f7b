{#- One row per calendar month from 1990 to 2050 with the academic year, financial year and financial
    quarter it belongs to. The large facts join on the month instead of building period strings row by row
    (same result as the macros in macros/periods.sql, which build this table, at a fraction of the cost). -#}
with

months as (
    select cast(range as date) as month_start
    from range(date '1990-01-01', date '2051-01-01', interval 1 month)
),

final as (
    select
        month_start,
        {{ academic_year_of('month_start') }} as academic_year,
        {{ financial_year_of('month_start') }} as financial_year,
        {{ financial_quarter_of('month_start') }} as financial_quarter
    from months
)

select * from final
