{#- The framework's outcomes as maintained in seeds/framework/framework_outcomes.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_outcomes') }}
)

select * from source
