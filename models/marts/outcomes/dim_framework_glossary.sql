{#- The framework's glossary as maintained in seeds/framework/framework_glossary.csv
    (or loaded from the borough workbook by fhub.framework). STARTER catalogue - the official London rows are not
    public. -#}
with

source as (
    select * from {{ ref('framework_glossary') }}
)

select * from source
