{#- The framework's metrics as maintained in seeds/framework/framework_metrics.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_metrics') }}
)

select * from source
