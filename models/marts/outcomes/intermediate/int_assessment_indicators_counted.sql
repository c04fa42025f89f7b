-- sqlfluff:exclude_rules:AL03,AM04,LT09,RF02,RF03,RF04,ST06,ST09,LT02
{# LT02 is left out here too: SQLFluff cannot place the indentation of the lines the Jinja loops below
   generate (the other rules apply; .sqlfluff says why those are left out). #}
{#- One row per assessment metric (ASQ-3, SWEMWBS) × geography (hub, borough) × academic year. ASQ-3: the
    latest questionnaire per child in the year whose age has a cutoff row in seeds/framework/asq3_cutoffs.csv;
    "at or above expected" = above the cutoff (an assumption, as in measures.md). SWEMWBS: raw totals are
    converted with the Rasch table; change = latest later (review/exit) score minus the baseline, counted in the
    academic year of the later score; meaningful improvement = change >= var swemwbs_meaningful_change
    (default 3 metric points: the top of the 1-3 point range in measures.md, so we do not over-claim). -#}
{%- set asq_areas = ['communication', 'gross_motor', 'fine_motor', 'problem_solving', 'personal_social'] -%}

with

assessments as (
    select * from {{ ref('fct_assessments') }}
),

cutoffs as (
    select * from {{ ref('asq3_cutoffs') }}
),

conversion as (
    select * from {{ ref('swemwbs_conversion') }}
),

asq_latest as (
    select *
    from assessments
    where tool = 'asq3'
    qualify row_number() over (
        partition by borough_code, person_key, academic_year order by assessment_date desc, assessment_key desc
    ) = 1
),

asq_scored as (
    select
        asq_latest.borough_code,
        asq_latest.hub_id,
        asq_latest.academic_year,
        asq_latest.person_key
        {%- for area in asq_areas %},
        asq_latest.asq_{{ area }} > cutoffs.{{ area }} as is_{{ area }}_expected
        {%- endfor %}
    from asq_latest
    inner join cutoffs
        on asq_latest.age_months between cutoffs.age_months_from and cutoffs.age_months_to
    where
        {%- for area in asq_areas %}
        {% if not loop.first %}and {% endif %}asq_latest.asq_{{ area }} is not null
        {%- endfor %}
),

asq_counts as (
    select
        borough_code,
        hub_id,
        academic_year as period,
        count(*) as children,
        count(*) filter (
            where
            {%- for area in asq_areas %}
            {% if not loop.first %}and {% endif %}is_{{ area }}_expected
            {%- endfor %}
        ) as all_five
        {%- for area in asq_areas %},
        count(*) filter (where is_{{ area }}_expected) as {{ area }}
        {%- endfor %}
    from asq_scored
    group by grouping sets ((borough_code, hub_id, academic_year), (borough_code, academic_year))  -- noqa: PRS
),

swemwbs as (
    select
        assessments.*,
        conversion.metric_score
    from assessments
    inner join conversion
        on assessments.swemwbs_raw_total = conversion.raw_total
    where assessments.tool = 'swemwbs'
),

swemwbs_baseline as (
    select *
    from swemwbs
    where stage = 'baseline'
    qualify row_number() over (partition by borough_code, person_key order by assessment_date, assessment_key) = 1
),

swemwbs_later as (
    select *
    from swemwbs
    where stage in ('review', 'exit')
    qualify row_number() over (
        partition by borough_code, person_key order by assessment_date desc, assessment_key desc
    ) = 1
),

swemwbs_change as (
    select
        swemwbs_later.borough_code,
        swemwbs_later.hub_id,
        swemwbs_later.academic_year,
        swemwbs_later.metric_score - swemwbs_baseline.metric_score as change
    from swemwbs_later
    inner join swemwbs_baseline
        on swemwbs_later.borough_code = swemwbs_baseline.borough_code
        and swemwbs_later.person_key = swemwbs_baseline.person_key
        and swemwbs_later.assessment_date > swemwbs_baseline.assessment_date
),

swemwbs_counts as (
    select
        borough_code,
        hub_id,
        academic_year as period,
        count(*) as parents,
        -- exact sums (macros/stats/exact.sql): a sum of doubles depends on the order of addition
        {{ fh_exact_sum('change') }} as change_total,
        {{ fh_exact_sum('change * change') }} as change_squares,
        count(*) filter (where change >= {{ var('swemwbs_meaningful_change', 3) }}) as improved
    from swemwbs_change
    group by grouping sets ((borough_code, hub_id, academic_year), (borough_code, academic_year))  -- noqa: PRS
),

unpivoted as (
    select 'asq_all_five' as metric_id, borough_code, hub_id, period, all_five as numerator, children as denominator,
        cast(null as double) as sum_of_squares
    from asq_counts
    {%- for area in asq_areas %}
    union all
    select 'asq_{{ area }}', borough_code, hub_id, period, {{ area }}, children, null
    from asq_counts
    {%- endfor %}
    union all
    select 'swemwbs_mean_change', borough_code, hub_id, period, change_total, parents, change_squares
    from swemwbs_counts
    union all
    select 'swemwbs_meaningful_improvement', borough_code, hub_id, period, improved, parents, null
    from swemwbs_counts
),

final as (
    select
        metric_id,
        case when hub_id is null then 'borough' else 'hub' end as geography_level,
        coalesce(hub_id, borough_code) as geography_code,
        borough_code,
        hub_id,
        period,
        'total' as breakdown_type,
        'total' as breakdown_value,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(sum_of_squares as double) as sum_of_squares
    from unpivoted
)

select * from final
