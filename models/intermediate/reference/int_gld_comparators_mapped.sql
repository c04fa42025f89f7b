{#- One row per published EYFSP figure (DfE, real files: int_gld_published) mapped onto the mart's vocabulary:
    metric (gld -> eyfs_gld, all_elgs_expected -> eyfs_all_elgs, comm_lang_lit -> eyfs_comm_lang_lit) ×
    geography (borough/region/country) × academic year × breakdown (total, or fsm: fsm_eligible /
    not_fsm_eligible). Source of england_value, of the real London figure for london_value, of the England rows
    in indicator_values and of GLD history in the target tracker. Numerators and denominators are null where
    only a percentage was published (LAIT). -#}
with

published as (
    select * from {{ ref('int_gld_published') }}
),

final as (
    select
        case measure
            when 'gld' then 'eyfs_gld'
            when 'all_elgs_expected' then 'eyfs_all_elgs'
            when 'comm_lang_lit' then 'eyfs_comm_lang_lit'
        end as metric_id,
        geography_level,
        geography_code,
        geography_name,
        academic_year as period,
        breakdown_type,
        {{ dfe_breakdown_value('breakdown_value') }} as breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        source,
        source_label,
        source_precision_dp
    from published
    where measure in ('gld', 'all_elgs_expected', 'comm_lang_lit')
)

select * from final
