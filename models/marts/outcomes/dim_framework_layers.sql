{#- The framework's layers as maintained in seeds/framework/framework_layers.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_layers') }}
)

select * from source
