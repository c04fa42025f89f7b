-- sqlfluff:exclude_rules:AL03,AM04,LT09,RF02,RF03,RF04,ST06,ST09,LT02
{# LT02 is left out here too: SQLFluff cannot place the indentation of the lines the Jinja loops below
   generate (the other rules apply; .sqlfluff says why those are left out). #}
{#- One row per hub-activity metric × geography (hub, borough) × financial quarter × breakdown, from contacts,
    registrations and referrals. Distinct people and families are counted at each level separately (a family
    using two hubs counts once for the borough), via grouping sets. Reach denominators (resident under-5s) are
    added for boroughs from the IoD2019 population denominators.

    Incremental by quarter (issue 7): every count here is per financial quarter, so a quarter's rows are a
    function of that quarter's inputs (plus registrations and the reference, see
    int_hub_activity_inputs_fingerprinted). An incremental build recomputes only the quarters whose inputs
    fingerprint - or this model's own SQL - changed since the rows were written (delete+insert by period);
    quarters with no inputs left are deleted by the post-hook. A full refresh computes every quarter; both
    give the same rows (tests/unit/test_dbt_incremental.py). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='period',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where period not in (select period from "
            ~ "{{ ref('int_hub_activity_inputs_fingerprinted') }})"
    )
}}
{%- set person_services = [
    ('parents_perinatal_mh_support', 'perinatal_mental_health'),
    ('parents_infant_feeding_support', 'infant_feeding'),
    ('parents_pir_support', 'parent_infant_relationships'),
    ('parents_domestic_abuse_support', 'domestic_abuse_support'),
    ('parents_welfare_advice', 'welfare_money_advice'),
    ('parents_home_learning_support', 'early_language_home_learning'),
] -%}

{#- contacts, children, attended and under5_reached are read by several CTEs below; `not materialized` lets
    DuckDB read only the columns each one needs from the stored tables instead of first copying every
    column of every contact (London full build: 59 s -> 29 s, same rows). -#}
{#- The fingerprint written on every row: the quarter's inputs, and this model's SQL (a change of logic
    recomputes every quarter without a manual --full-refresh). -#}
{%- set logic_version = local_md5(model.raw_code) -%}

with

fingerprints as (
    select
        period,
        hash(inputs_fingerprint, '{{ logic_version }}') as inputs_fingerprint
    from {{ ref('int_hub_activity_inputs_fingerprinted') }}
),

{% if is_incremental() %}
changed_periods as (
    select fingerprints.period
    from fingerprints
    where not exists (
        select 1
        from {{ this }} as built
        where built.period = fingerprints.period
            and built._inputs_fingerprint = fingerprints.inputs_fingerprint
    )
),
{% endif %}

contacts as not materialized (
    select * from {{ ref('fct_hub_contacts') }}
    {% if is_incremental() %}
    where financial_quarter in (select period from changed_periods)
    {% endif %}
),

registrations as (
    select * from {{ ref('fct_hub_registrations') }}
),

referrals as (
    select * from {{ ref('fct_referrals') }}
    {% if is_incremental() %}
    where financial_quarter in (select period from changed_periods)
    {% endif %}
),

lsoas as (
    select * from {{ ref('int_lsoa_deprivation') }}
),

quarters as (
    select distinct
        financial_quarter as period,
        {{ financial_quarter_end('financial_quarter') }} as quarter_end
    from contacts
    where financial_quarter is not null
),

{# Children under 5 at the end of the quarter, with the registration that makes them known. #}
children as not materialized (
    select
        registrations.borough_code,
        registrations.person_key,
        registrations.hub_id as registered_hub_id,
        registrations.registration_date,
        registrations.birth_month,
        registrations.imd_quintile
    from registrations
    where registrations.role = 'child'
),

attended as not materialized (
    select
        contacts.*,
        children.person_key is not null as is_registered_child,
        children.birth_month,
        children.imd_quintile,
        {{ financial_quarter_end('contacts.financial_quarter') }} as quarter_end
    from contacts
    left join children
        on contacts.borough_code = children.borough_code
        and contacts.person_key = children.person_key
    where contacts.attended
),

under5_reached as not materialized (
    select *
    from attended
    where is_registered_child
        and birth_month <= quarter_end
        and birth_month > quarter_end - interval 5 year
),

{# Distinct counts below run over this deduplicated set (a person's many contacts in a quarter collapse to
    one row) rather than over every attended contact: count(distinct) is unchanged by removing duplicates. #}
under5_reached_people as (
    select distinct borough_code, hub_id, financial_quarter, person_key, imd_quintile
    from under5_reached
),

reach_counts as (
    select
        borough_code,
        hub_id,
        financial_quarter as period,
        count(distinct person_key) as reached,
        count(distinct person_key) filter (where imd_quintile = 1) as reached_imd_q1,
        count(distinct person_key) filter (where imd_quintile is not null) as reached_known_imd
    from under5_reached_people
    group by grouping sets ((borough_code, hub_id, financial_quarter), (borough_code, financial_quarter))  -- noqa: PRS
),

{# Registered under-5s per quarter (denominator of children_active); hub = registering hub. #}
registered_under5 as (
    select
        children.borough_code,
        children.registered_hub_id as hub_id,
        quarters.period,
        children.person_key
    from children
    inner join quarters
        on children.registration_date <= quarters.quarter_end
        and children.birth_month <= quarters.quarter_end
        and children.birth_month > quarters.quarter_end - interval 5 year
),

reached_people as (
    select distinct borough_code, person_key, financial_quarter as period
    from under5_reached
),

active_children as (
    select
        registered_under5.borough_code,
        registered_under5.hub_id,
        registered_under5.period,
        count(*) as registered,
        count(reached_people.person_key) as active
    from registered_under5
    left join reached_people
        on registered_under5.borough_code = reached_people.borough_code
        and registered_under5.person_key = reached_people.person_key
        and registered_under5.period = reached_people.period
    group by grouping sets (  -- noqa: PRS
        (registered_under5.borough_code, registered_under5.hub_id, registered_under5.period),
        (registered_under5.borough_code, registered_under5.period)
    )
),

family_contacts as (
    select
        borough_code,
        hub_id,
        financial_quarter as period,
        family_key,
        count(*) as attended_contacts
    from attended
    where family_key is not null
    group by grouping sets (  -- noqa: PRS
        (borough_code, hub_id, financial_quarter, family_key), (borough_code, financial_quarter, family_key)
    )
),

family_counts as (
    select
        borough_code,
        hub_id,
        period,
        count(*) as families,
        count(*) filter (where attended_contacts >= 3) as families_3plus
    from family_contacts
    group by all
),

{# grouping(hub_id) tells the hub rows from the borough rows of the grouping sets (hub_id alone cannot if it
    is ever null), so the distinct-people counts can be joined back to the plain counts row for row. #}
contact_totals as (
    select
        borough_code,
        hub_id,
        financial_quarter as period,
        grouping(hub_id) as hub_grouping,
        count(*) as booked,
        count(*) filter (where attended) as attended,
        count(*) filter (where not attended) as not_attended,
        count(*) filter (where attended and delivery_model = 'commissioned') as commissioned,
        count(*) filter (where attended and delivery_model = 'direct') as direct
    from contacts
    where financial_quarter is not null
    group by grouping sets ((borough_code, hub_id, financial_quarter), (borough_code, financial_quarter))  -- noqa: PRS
),

service_people as (
    select distinct borough_code, hub_id, financial_quarter, service_code, person_key
    from contacts
    where financial_quarter is not null
        and attended
        and person_key is not null
        and service_code in (
            {%- for metric_id, service in person_services %}
            '{{ service }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
),

service_counts as (
    select
        borough_code,
        hub_id,
        financial_quarter as period,
        grouping(hub_id) as hub_grouping
        {%- for metric_id, service in person_services %},
        count(distinct person_key) filter (where service_code = '{{ service }}') as {{ metric_id }}
        {%- endfor %}
    from service_people
    group by grouping sets ((borough_code, hub_id, financial_quarter), (borough_code, financial_quarter))  -- noqa: PRS
),

contact_counts as (
    select
        contact_totals.borough_code,
        contact_totals.hub_id,
        contact_totals.period,
        contact_totals.booked,
        contact_totals.attended,
        contact_totals.not_attended,
        contact_totals.commissioned,
        contact_totals.direct
        {%- for metric_id, service in person_services %},
        coalesce(service_counts.{{ metric_id }}, 0) as {{ metric_id }}
        {%- endfor %}
    from contact_totals
    left join service_counts
        on contact_totals.borough_code = service_counts.borough_code
        and contact_totals.hub_id is not distinct from service_counts.hub_id
        and contact_totals.period = service_counts.period
        and contact_totals.hub_grouping = service_counts.hub_grouping
),

referral_counts as (
    select
        borough_code,
        hub_id,
        financial_quarter as period,
        coalesce(to_service, 'total') as breakdown_value,
        count(*) as referrals,
        count(*) filter (where outcome = 'accepted') as accepted,
        count(*) filter (where outcome in ('accepted', 'declined', 'no_further_action')) as decided,
        count(*) filter (where outcome = 'accepted' and to_service in ('early_help', 'childrens_social_care'))
            as safeguarding_accepted,
        count(*) filter (where outcome in ('accepted', 'declined', 'no_further_action')
                         and to_service in ('early_help', 'childrens_social_care')) as safeguarding_decided,
        count(days_to_outcome) as with_outcome_date,
        sum(days_to_outcome) as days_total,
        sum(days_to_outcome * days_to_outcome) as days_squares
    from referrals
    where financial_quarter is not null
    group by grouping sets (  -- noqa: PRS
        (borough_code, hub_id, financial_quarter), (borough_code, financial_quarter),
        (borough_code, hub_id, financial_quarter, to_service), (borough_code, financial_quarter, to_service)
    )
),

{# Estimated resident under-5s: children 0-15 (mid-2015, IoD2019 denominators) × 5/16 - an assumption of
    an even age spread, documented on the metric. #}
resident_under5 as (
    select
        borough_code,
        sum(children_0_15) * 5.0 / 16 as under5,
        sum(children_0_15) filter (where imd_quintile = 1) * 5.0 / 16 as under5_imd_q1
    from lsoas
    group by borough_code
),

unpivoted as (
    select 'reach_under5' as metric_id, reach_counts.borough_code, hub_id, period, 'total' as breakdown_type,
        'total' as breakdown_value, cast(reached as double) as numerator, round(resident_under5.under5) as denominator,
        cast(null as double) as sum_of_squares
    from reach_counts inner join resident_under5 on reach_counts.borough_code = resident_under5.borough_code
    where hub_id is null
    union all
    select 'reach_under5_imd_q1', reach_counts.borough_code, hub_id, period, 'total', 'total',
        reached_imd_q1, round(resident_under5.under5_imd_q1), null
    from reach_counts inner join resident_under5 on reach_counts.borough_code = resident_under5.borough_code
    where hub_id is null and resident_under5.under5_imd_q1 > 0
    union all
    select 'reach_share_imd_q1', borough_code, hub_id, period, 'total', 'total', reached_imd_q1, reached_known_imd, null
    from reach_counts
    union all
    select 'children_active', borough_code, hub_id, period, 'total', 'total', active, registered, null
    from active_children
    union all
    select 'families_engaged_3plus', borough_code, hub_id, period, 'total', 'total', families_3plus, families, null
    from family_counts
    union all
    select 'contacts_attended', borough_code, hub_id, period, 'total', 'total', attended, null, null
    from contact_counts
    union all
    select 'contacts_attended', borough_code, hub_id, period, 'delivery_model', 'direct', direct, null, null
    from contact_counts
    union all
    select 'contacts_attended', borough_code, hub_id, period, 'delivery_model', 'commissioned', commissioned, null, null
    from contact_counts
    union all
    select 'contacts_commissioned_share', borough_code, hub_id, period, 'total', 'total', commissioned, attended, null
    from contact_counts
    union all
    select 'dna_rate', borough_code, hub_id, period, 'total', 'total', not_attended, booked, null
    from contact_counts
    {%- for metric_id, service in person_services %}
    union all
    select '{{ metric_id }}', borough_code, hub_id, period, 'total', 'total', {{ metric_id }}, null, null
    from contact_counts
    {%- endfor %}
    union all
    select 'referrals_made', borough_code, hub_id, period,
        case when breakdown_value = 'total' then 'total' else 'to_service' end, breakdown_value, referrals, null, null
    from referral_counts
    union all
    select 'referrals_accepted', borough_code, hub_id, period,
        case when breakdown_value = 'total' then 'total' else 'to_service' end, breakdown_value, accepted, decided, null
    from referral_counts
    union all
    select 'referrals_safeguarding_accepted', borough_code, hub_id, period, 'total', 'total',
        safeguarding_accepted, safeguarding_decided, null
    from referral_counts
    where breakdown_value = 'total'
    union all
    select 'referral_days_to_outcome', borough_code, hub_id, period, 'total', 'total',
        coalesce(days_total, 0), with_outcome_date, coalesce(days_squares, 0)
    from referral_counts
    where breakdown_value = 'total'
),

final as (
    select
        unpivoted.metric_id,
        case when unpivoted.hub_id is null then 'borough' else 'hub' end as geography_level,
        coalesce(unpivoted.hub_id, unpivoted.borough_code) as geography_code,
        unpivoted.borough_code,
        unpivoted.hub_id,
        unpivoted.period,
        unpivoted.breakdown_type,
        unpivoted.breakdown_value,
        cast(unpivoted.numerator as double) as numerator,
        cast(unpivoted.denominator as double) as denominator,
        cast(unpivoted.sum_of_squares as double) as sum_of_squares,
        fingerprints.inputs_fingerprint as _inputs_fingerprint
    from unpivoted
    inner join fingerprints
        on unpivoted.period = fingerprints.period
)

select * from final
