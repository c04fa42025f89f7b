{#- The framework's indicators as maintained in seeds/framework/framework_indicators.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_indicators') }}
)

select * from source
