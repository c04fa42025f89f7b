-- Every London borough (32 boroughs + City of London) is in dim_boroughs, 14 Inner and 19 Outer London as in
-- DfE statistics. Authorities outside London that joined by configuration (is_london false) are not counted.
-- Returns a row when the counts differ.
with

boroughs as (
    select * from {{ ref('dim_boroughs') }}
    where is_london
),

counts as (
    select
        count(*) as borough_count,
        count_if(is_inner_london) as inner_count,
        count(distinct dfe_la_code) as dfe_code_count
    from boroughs
),

final as (
    select * from counts
    where borough_count <> 33 or inner_count <> 14 or dfe_code_count <> 33
)

select * from final
