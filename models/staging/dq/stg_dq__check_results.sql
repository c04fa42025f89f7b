with

source as (
    select * from {{ source('dq', 'check_results') }}
),

renamed as (
    select
        cast(run_id as varchar) as run_id,
        cast(check_id as varchar) as check_id,
        cast(checked_at as timestamp) as checked_at,
        {{ financial_quarter_of('checked_at') }} as cycle,
        cast(borough_code as varchar) as borough_code,
        cast(extract_type as varchar) as extract_type,
        cast(period as varchar) as period,
        cast(check_name as varchar) as check_name,
        cast(source as varchar) as source,
        cast(target_relation as varchar) as target_relation,
        cast(dimension as varchar) as dimension,
        cast(severity as varchar) as severity,
        cast(status as varchar) as status,
        cast(observed_value as varchar) as observed_value,
        cast(failing_rows as bigint) as failing_rows,
        cast(failing_sample as varchar) as failing_sample,
        cast(message as varchar) as message,
        cast(fix as varchar) as fix
    from source
)

select * from renamed
