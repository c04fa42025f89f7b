{#- One row per geography × academic year × series of GLD history, the two series kept apart (issue 16: a
    series is one source and one definition, never spliced silently):
      published        DfE's published GLD for a London borough or London (E12000007), with DfE's FSM gap;
      borough_records  the mart's own figure from a borough's pupil-level records (borough rows) or the
                       participating boroughs' aggregate (LONDON_PARTICIPATING), with the records' FSM gap.
    A borough-records row says whether it reconciles with DfE's figure for the same year
    (fct_gld_reconciliation: pass / fail; not_checked where DfE has published nothing for that year) and
    whether it is provisional (DfE has not yet published the area's figure for that year). The tracker decides
    which series its projection uses. -#}
with

estimated as (
    select * from {{ ref('int_indicator_values_estimated') }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

reconciliation as (
    select * from {{ ref('fct_gld_reconciliation') }}
    where check_name = 'reconciles_with_dfe_gld'
),

in_scope as (
    select *
    from estimated
    where breakdown_type = 'total'
        and metric_id in ('gld_dfe_published', 'gld_fsm_gap_dfe_published', 'eyfs_gld', 'eyfs_gld_fsm_gap')
        and (
            (geography_level = 'borough' and geography_code in (select boroughs.borough_code from boroughs))
            or (geography_level = 'region' and geography_code = 'E12000007')
            or geography_level = {{ participating_boroughs_level() }}
        )
),

series_rows as (
    select
        *,
        case when is_published_statistic then 'published' else 'borough_records' end as series,
        case when metric_id in ('gld_dfe_published', 'eyfs_gld') then 'gld' else 'fsm_gap' end as measure
    from in_scope
),

gld as (
    select * from series_rows
    where measure = 'gld'
),

gap as (
    select * from series_rows
    where measure = 'fsm_gap'
),

final as (
    select
        gld.geography_level,
        gld.geography_code,
        gld.period as academic_year,
        gld.series,
        {{ period_start_year('gld.period') }} as start_year,
        {{ period_start_year('gld.period') }} >= 2021 as is_post_reform,
        gld.source,
        gld.source_precision_dp,
        gld.is_provisional,
        gld.boroughs_covered,
        gld.value as gld_value,
        gld.numerator as gld_numerator,
        gld.denominator as gld_denominator,
        round(gap.value, 4) as fsm_gap_pp,
        gap.source as fsm_gap_source,
        gap.is_mixed_precision as fsm_gap_is_mixed_precision,
        case
            when gld.series = 'published' or gld.geography_level <> 'borough' then null
            when reconciliation.status is not null then reconciliation.status
            else 'not_checked'
        end as reconciliation_status
    from gld
    left join gap
        on gld.geography_level = gap.geography_level
        and gld.geography_code = gap.geography_code
        and gld.period = gap.period
        and gld.series = gap.series
    left join reconciliation
        on gld.geography_code = reconciliation.borough_code
        and gld.period = reconciliation.academic_year
)

select * from final
