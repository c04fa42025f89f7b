{#- One row per DfE-published EYFSP metric (gld_dfe_published, all_elgs_expected_dfe_published,
    comm_lang_lit_dfe_published) × geography (the 33 London boroughs, London E12000007, England E92000001) ×
    academic year × breakdown (total; fsm: fsm_eligible / not_fsm_eligible), straight from the real published
    files (int_gld_published). reported_value is the published figure, which the mart publishes as-is;
    numerator and denominator are the files' counts where the file has them (London and England counts are
    the published ones, which equal the sums of their local authorities' counts - tested), null where only a
    percentage was published (LAIT, Fingertips). No rows when the real files are absent. -#}
with

published as (
    select * from {{ ref('int_gld_published') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

in_scope as (
    select published.*
    from published
    where (
        published.geography_level = 'borough'
        and published.geography_code in (select borough_code from boroughs)
    )
    or (published.geography_level = 'region' and published.geography_code = 'E12000007')
    or (published.geography_level = 'country' and published.geography_code = 'E92000001')
),

final as (
    select
        in_scope.measure || '_dfe_published' as metric_id,
        in_scope.geography_level,
        in_scope.geography_code,
        case when in_scope.geography_level = 'borough' then in_scope.geography_code end as borough_code,
        cast(null as varchar) as hub_id,
        in_scope.academic_year as period,
        in_scope.breakdown_type,
        {{ dfe_breakdown_value('in_scope.breakdown_value') }} as breakdown_value,
        cast(in_scope.numerator as double) as numerator,
        cast(in_scope.denominator as double) as denominator,
        cast(null as double) as sum_of_squares,
        cast(in_scope.value as double) as reported_value,
        true as is_published_statistic,
        in_scope.source as published_source,
        in_scope.source_label as source,
        in_scope.source_precision_dp
    from in_scope
)

select * from final
