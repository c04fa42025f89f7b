{#- The framework's domains as maintained in seeds/framework/framework_domains.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_domains') }}
)

select * from source
