{#- Reporting periods from 2012/13 to 2027/28: academic years (Sep–Aug), financial years (Apr–Mar) and
    financial quarters (Apr–Jun = Q1), written as in docs/architecture.md "Periods". -#}
{% set first_year = 2012 %}
{% set last_year = 2027 %}

with

start_years as (
    select cast(range as integer) as start_year
    from range({{ first_year }}, {{ last_year }} + 1)
),

quarter_numbers as (
    select cast(range as integer) as quarter_number
    from range(1, 5)
),

academic_years as (
    select
        'academic_year' as period_type,
        start_year,
        cast(null as integer) as quarter_number,
        make_date(start_year, 9, 1) as start_date,
        make_date(start_year + 1, 8, 31) as end_date
    from start_years
),

financial_years as (
    select
        'financial_year' as period_type,
        start_year,
        cast(null as integer) as quarter_number,
        make_date(start_year, 4, 1) as start_date,
        make_date(start_year + 1, 3, 31) as end_date
    from start_years
),

financial_quarters as (
    select
        'financial_quarter' as period_type,
        start_year,
        quarter_number,
        cast(make_date(start_year, 4, 1) + to_months(3 * (quarter_number - 1)) as date) as start_date,
        cast(make_date(start_year, 4, 1) + to_months(3 * quarter_number) - interval 1 day as date) as end_date
    from start_years
    cross join quarter_numbers
),

all_periods as (
    select * from academic_years
    union all
    select * from financial_years
    union all
    select * from financial_quarters
),

labelled as (
    select
        *,
        cast(start_year as varchar) || '/' || right(cast(start_year + 1 as varchar), 2) as year_label
    from all_periods
),

final as (
    select
        case period_type
            when 'academic_year' then year_label
            when 'financial_year' then year_label || ' FY'
            else year_label || ' Q' || cast(quarter_number as varchar)
        end as period,
        period_type,
        case period_type
            when 'academic_year' then 'Academic year ' || year_label
            when 'financial_year' then 'Financial year ' || year_label
            else 'Financial year ' || year_label || ' quarter ' || cast(quarter_number as varchar)
        end as period_label,
        start_date,
        end_date,
        case when period_type = 'academic_year' then year_label end as academic_year,
        case when period_type <> 'academic_year' then year_label || ' FY' end as financial_year,
        quarter_number,
        start_year,
        -- EYFSP: no results were collected in 2019/20 and 2020/21 (COVID); the reformed profile (17 new ELGs,
        -- emerging/expected) applies from 2021/22 and is not comparable with earlier years.
        case
            when period_type <> 'academic_year' then null
            else start_year not in (2019, 2020)
        end as is_eyfsp_collected,
        case
            when period_type <> 'academic_year' then null
            when start_year >= 2021 then 'eyfsp_2021'
            else 'eyfsp_2012'
        end as eyfsp_framework
    from labelled
)

select * from final
