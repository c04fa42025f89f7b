with

source as (
    select * from {{ source('run', 'run_context') }}
),

renamed as (
    select
        cast(run_id as varchar) as run_id,
        cast(dbt_command as varchar) as dbt_command,
        cast(started_at as timestamp with time zone) as started_at
    from source
)

select * from renamed
