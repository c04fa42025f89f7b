{#- The framework's crosswalk as maintained in seeds/framework/framework_crosswalk.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_crosswalk') }}
)

select * from source
