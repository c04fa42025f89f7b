-- One row per measure x geography x academic year x breakdown: the published EYFSP figures (GLD, all ELGs
-- expected, communication-language-literacy) for England, regions (London) and local authorities.
-- Which source supplies which measure, breakdown and years, at what precision and priority, is data:
-- seeds/reference/published_eyfsp_sources.csv (current EES layout > EES 2022 headline file > 2013-2019
-- underlying file > Fingertips 90632 (FSM GLD 2012/13-2017/18, 1 dp) > LAIT). A figure no seed row names is
-- not used - e.g. EES 2022's "not known to be eligible for FSM", which is not DfE's current not-FSM
-- definition ("not eligible", which LAIT carries for 2021/22 too).
-- London before the reform = Inner + Outer London counts (the 2013-2019 file has no London row).
-- No rows for 2019/20 and 2020/21: the EYFSP was not collected.
{%- set measures = ['gld', 'all_elgs_expected', 'comm_lang_lit'] %}
with

pre_reform as (
    select * from {{ ref('stg_dfe__eyfsp_la_results_2013_2019') }}
    where gender = 'total'
),

headline_2022 as (
    select * from {{ ref('stg_dfe__eyfsp_headline_2022') }}
    where sex = 'total'
),

headline_current as (
    select * from {{ ref('stg_dfe__eyfsp_headline_2022_2025') }}
    where sex = 'total'
),

lait as (
    select * from {{ ref('stg_dfe__lait_values') }}
),

fingertips_fsm as (
    select * from {{ ref('stg_ohid__school_readiness_fsm') }}
),

la_codes as (
    select * from {{ ref('int_la_codes') }}
),

sources as (
    select * from {{ ref('published_eyfsp_sources') }}
),

dfe_to_ons as (
    select distinct dfe_la_code, current_la_code, geography_type
    from la_codes
    where dfe_la_code is not null and not is_combined_area
),

-- ---------------------------------------------------------------- 2012/13-2018/19 underlying file
pre_reform_geo as (
    select
        pre_reform.*,
        case pre_reform.geographic_level
            when 'national' then 'country' when 'regional' then 'region' when 'local_authority' then 'borough'
        end as geography_level,
        case pre_reform.geographic_level
            when 'national' then pre_reform.country_code
            when 'regional' then pre_reform.region_code
            else coalesce(dfe_to_ons.current_la_code, pre_reform.la_code)
        end as geography_code,
        case pre_reform.geographic_level
            when 'national' then 'England' when 'regional' then pre_reform.region_name else pre_reform.la_name
        end as geography_name
    from pre_reform
    left join dfe_to_ons
        on pre_reform.dfe_la_code = dfe_to_ons.dfe_la_code and dfe_to_ons.geography_type = 'local_authority'
),

london_from_inner_outer as (
    select
        academic_year,
        'region' as geography_level,
        'E12000007' as geography_code,
        'London' as geography_name,
        cast(sum(children_count) as bigint) as children_count,
        {%- for m in measures %}
        cast(sum({{ m }}_count) as bigint) as {{ m }}_count,
        round(100.0 * sum({{ m }}_count) / sum(children_count), 1) as {{ m }}_percent,
        {%- endfor %}
        'Inner London + Outer London counts' as source_detail
    from pre_reform_geo
    where geographic_level = 'regional' and region_code in ('E13000001', 'E13000002')
    group by academic_year
    having count(*) = 2
),

pre_reform_rows as (
    select
        academic_year, geography_level, geography_code, geography_name, children_count,
        {%- for m in measures %} {{ m }}_count,
        {{ m }}_percent, 
        {%- endfor %}
        'ees_eyfsp_2013_2019' as source, _source_file as source_file
    from pre_reform_geo
    where geography_level is not null
        and not (geographic_level = 'regional' and region_code like 'E13%')
    union all
    select
        academic_year, geography_level, geography_code, geography_name, children_count,
        {%- for m in measures %} {{ m }}_count,
        {{ m }}_percent, 
        {%- endfor %}
        'ees_eyfsp_2013_2019_inner_outer_london' as source, null as source_file
    from london_from_inner_outer
),

-- ---------------------------------------------------------------- EES headline files (post-reform)
{%- for cte, rel, source in [
        ('headline_2022', 'headline_2022', 'ees_eyfsp_headline_2022'),
        ('headline_current', 'headline_current', 'ees_eyfsp_headline_2022_2025')] %}

{{ cte }}_rows as (
    select
        {{ rel }}.academic_year,
        case {{ rel }}.geographic_level
            when 'national' then 'country' when 'regional' then 'region' when 'local_authority' then 'borough'
        end as geography_level,
        case {{ rel }}.geographic_level
            when 'national' then {{ rel }}.country_code
            when 'regional' then {{ rel }}.region_code
            else coalesce(dfe_to_ons.current_la_code, {{ rel }}.la_code)
        end as geography_code,
        case {{ rel }}.geographic_level
            when 'national' then 'England' when 'regional' then {{ rel }}.region_name else {{ rel }}.la_name
        end as geography_name,
        case when lower({{ rel }}.breakdown_topic) = 'total' then 'total' else 'fsm' end as breakdown_type,
        case
            when lower({{ rel }}.breakdown_topic) = 'total' then 'total'
            when lower({{ rel }}.breakdown) in (
                    'known to be eligible for free school meals', 'eligible', 'fsm eligible'
                )
                then 'eligible'
            -- 'not known to be eligible' (2022 schema) includes unknown eligibility: a definition of its own
            when lower({{ rel }}.breakdown) = 'not known to be eligible for free school meals'
                then 'not_known_to_be_eligible'
            when lower({{ rel }}.breakdown) in ('not eligible', 'fsm not eligible') then 'not_eligible'
        end as breakdown_value,
        {{ rel }}.children_count,
        {%- for m in measures %} {{ rel }}.{{ m }}_count,
        {{ rel }}.{{ m }}_percent, 
        {%- endfor %}
        '{{ source }}' as source,
        {{ rel }}._source_file as source_file
    from {{ rel }}
    left join dfe_to_ons
        on {{ rel }}.dfe_la_code = dfe_to_ons.dfe_la_code and dfe_to_ons.geography_type = 'local_authority'
    where {{ rel }}.geographic_level in ('national', 'regional', 'local_authority')
        and not ({{ rel }}.geographic_level = 'regional' and {{ rel }}.region_code like 'E13%')
),
{%- endfor %}

-- ---------------------------------------------------------------- LAIT (percentages only)
lait_rows as (
    select
        lait.academic_year,
        case
            when lait.dfe_la_code = 970 then 'country'
            when dfe_to_ons.geography_type = 'region' then 'region'
            when dfe_to_ons.geography_type = 'local_authority' then 'borough'
        end as geography_level,
        dfe_to_ons.current_la_code as geography_code,
        lait.area_name as geography_name,
        case when lait.indicator_code like 'FSP_Gooddev_FSM%' then 'fsm' else 'total' end as breakdown_type,
        case lait.indicator_code
            when 'FSP_Gooddev_FSM' then 'eligible' when 'FSP_Gooddev_FSM_Other' then 'not_eligible' else 'total'
        end as breakdown_value,
        case when lait.indicator_code = 'FSP_NEW_ALL-ELGS' then 'all_elgs_expected' else 'gld' end as measure,
        lait.value,
        lait._source_file as source_file
    from lait
    left join dfe_to_ons on cast(lait.dfe_la_code as varchar) = dfe_to_ons.dfe_la_code
    where lait.indicator_code in ('FSP_NEW_GOODDEV', 'FSP_Gooddev_FSM', 'FSP_Gooddev_FSM_Other', 'FSP_NEW_ALL-ELGS')
        and lait.academic_year is not null
        and lait.value is not null
),

-- ---------------------------------------------------------------- Fingertips 90632 FSM GLD (pre-reform, 1 dp)
fingertips_rows as (
    select
        fingertips_fsm.academic_year,
        case when fingertips_fsm.area_code = 'E92000001' then 'country' else 'borough' end as geography_level,
        case
            when fingertips_fsm.area_code = 'E92000001' then 'E92000001' else la_codes.current_la_code
        end as geography_code,
        fingertips_fsm.area_name as geography_name,
        fingertips_fsm.value,
        fingertips_fsm._source_file as source_file
    from fingertips_fsm
    left join la_codes
        on fingertips_fsm.area_code = la_codes.la_code and la_codes.geography_type = 'local_authority'
    where fingertips_fsm.value is not null
),

-- ---------------------------------------------------------------- one row per measure
long_counts as (
    {%- for m in measures %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        '{{ m }}' as measure, academic_year, geography_level, geography_code, geography_name,
        'total' as breakdown_type, 'total' as breakdown_value,
        {{ m }}_count as numerator, children_count as denominator, {{ m }}_percent as value,
        source, source_file
    from pre_reform_rows
    {%- for cte in ['headline_2022', 'headline_current'] %}
    union all
    select
        '{{ m }}' as measure, academic_year, geography_level, geography_code, geography_name,
        breakdown_type, breakdown_value,
        {{ m }}_count as numerator, children_count as denominator, {{ m }}_percent as value,
        source, source_file
    from {{ cte }}_rows
    where breakdown_value is not null
    {%- endfor %}
    {%- endfor %}
    union all
    select
        measure, academic_year, geography_level, geography_code, geography_name,
        breakdown_type, breakdown_value,
        cast(null as bigint) as numerator, cast(null as bigint) as denominator, value,
        'lait' as source, source_file
    from lait_rows
    union all
    select
        'gld' as measure, academic_year, geography_level, geography_code, geography_name,
        'fsm' as breakdown_type, 'eligible' as breakdown_value,
        cast(null as bigint) as numerator, cast(null as bigint) as denominator, value,
        'fingertips_90632' as source, source_file
    from fingertips_rows
),

-- each figure's source row in the seed: its priority, precision and label for that measure, breakdown and year
documented as (
    select
        long_counts.*,
        sources.priority,
        sources.source_label,
        cast(sources.source_precision_dp as integer) as source_precision_dp,
        cast(sources.has_counts as boolean) as has_counts
    from long_counts
    inner join sources
        on long_counts.source = sources.source
        and long_counts.measure = sources.measure
        and long_counts.breakdown_value = sources.breakdown_value
        and long_counts.academic_year >= sources.first_year
        and long_counts.academic_year <= coalesce(sources.last_year, '9999/99')
    where sources.priority is not null
),

chosen as (
    select *
    from documented
    where geography_level is not null
        and geography_code is not null
        and academic_year not in ('2019/20', '2020/21')
        and value is not null  -- e.g. Isles of Scilly FSM 2021/22: 0 children, percentage "z"
    qualify row_number() over (
            partition by measure, geography_level, geography_code, academic_year, breakdown_type, breakdown_value
            order by priority
        ) = 1
),

final as (
    select
        measure,
        geography_level,
        geography_code,
        geography_name,
        academic_year,
        breakdown_type,
        breakdown_value,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        cast(value as double) as value,
        case when denominator > 0 then round(100.0 * numerator / denominator, 1) end as value_from_counts,
        source,
        source_label,
        source_precision_dp,
        source_file,
        academic_year >= '2021/22' as is_post_reform,
        geography_code like 'E09%' or geography_code = 'E12000007' as is_london
    from chosen
)

select * from final
