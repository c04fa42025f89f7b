{#- One row per borough × academic year (of the EYFS profile) × hub
    status × breakdown: GLD for children known to hubs versus not known, linked through the pseudonymised person
    key shared by the hub and EYFSP extracts. Hub status at the start of Reception (1 September of the academic
    year): engaged_3plus = registered and 3 or more attended contacts (the child's own or their family's) before
    that date; registered_not_engaged = registered before that date with fewer than 3; not_known = no hub
    registration before that date. Breakdowns (indicator_values' vocabulary): total, idaci_quintile,
    term_of_birth (autumn / spring / summer), sen_provision (none / sen_support / ehc_plan). Completed profiles only (the
    GLD denominator). This is an ASSOCIATION, NOT AN EFFECT: families who use hubs differ from those who do not.
    Disclosure control as indicator_values (primary, then secondary across hub statuses and across breakdown
    values), and every status is suppressed where the borough's matching GLD cell is suppressed in
    indicator_values (the statuses add up to it). -#}
with

results as (
    select * from {{ ref('fct_eyfsp_results') }}
    where is_complete_profile
),

registrations as (
    select * from {{ ref('fct_hub_registrations') }}
),

contacts as (
    select * from {{ ref('fct_hub_contacts') }}
    where attended
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

pupils as (
    select
        results.*,
        make_date({{ period_start_year('results.academic_year') }}, 9, 1) as reception_start
    from results
),

registered as (
    select
        pupils.eyfsp_result_key,
        min(registrations.registration_date) as first_registration_date,
        any_value(registrations.family_key) as family_key
    from pupils
    inner join registrations
        on pupils.borough_code = registrations.borough_code
        and pupils.person_key = registrations.person_key
        and registrations.registration_date < pupils.reception_start
    group by all
),

{# Attended contacts before Reception that are the child's own or their family's, counted once each. The
    "own or family's" condition is two equi-joins (by person, by family) instead of one join on an OR, which
    DuckDB can only evaluate as a residual filter over every contact of the borough; the family branch skips
    contacts already counted as the child's own, so count(*) counts each contact (unique contact_key) once. #}
registered_pupils as (
    select
        registered.eyfsp_result_key,
        registered.family_key,
        pupils.borough_code,
        pupils.person_key,
        pupils.reception_start
    from registered
    inner join pupils
        on registered.eyfsp_result_key = pupils.eyfsp_result_key
),

own_contacts as (
    select registered_pupils.eyfsp_result_key
    from registered_pupils
    inner join contacts
        on contacts.borough_code = registered_pupils.borough_code
        and contacts.person_key = registered_pupils.person_key
    where contacts.contact_date < registered_pupils.reception_start
),

family_contacts as (
    select registered_pupils.eyfsp_result_key
    from registered_pupils
    inner join contacts
        on contacts.borough_code = registered_pupils.borough_code
        and contacts.family_key = registered_pupils.family_key
    where contacts.contact_date < registered_pupils.reception_start
        and not coalesce(contacts.person_key = registered_pupils.person_key, false)
),

engagement as (
    select
        eyfsp_result_key,
        count(*) as contacts_before_reception
    from (
        select * from own_contacts
        union all
        select * from family_contacts
    ) as contacts_before
    group by eyfsp_result_key
),

classified as (
    select
        pupils.*,
        case
            when registered.eyfsp_result_key is null then 'not_known'
            when coalesce(engagement.contacts_before_reception, 0) >= 3 then 'engaged_3plus'
            else 'registered_not_engaged'
        end as hub_status
    from pupils
    left join registered on pupils.eyfsp_result_key = registered.eyfsp_result_key
    left join engagement on pupils.eyfsp_result_key = engagement.eyfsp_result_key
),

with_breakdowns as (
    select classified.*, b.breakdown_type, b.breakdown_value  -- noqa: RF01
    from classified
    cross join unnest([
        { 'breakdown_type': 'total', 'breakdown_value': 'total' },
        { 'breakdown_type': 'idaci_quintile', 'breakdown_value': coalesce(cast(idaci_quintile as varchar), 'unknown') },
        { 'breakdown_type': 'term_of_birth', 'breakdown_value': coalesce(term_of_birth, 'unknown') },
        { 'breakdown_type': 'sen_provision', 'breakdown_value': coalesce(sen_provision, 'unknown') }
    ]) as t (b)
),

counted as (
    select
        borough_code,
        academic_year,
        hub_status,
        breakdown_type,
        breakdown_value,
        cast(count(*) as double) as denominator,
        cast(count(*) filter (where is_gld) as double) as numerator
    from with_breakdowns
    group by all
),

{# The three hub statuses add up to the borough's GLD cell published in indicator_values (same breakdown
    vocabulary): where that cell is suppressed there, the statuses here must not reveal it, so they are
    suppressed too. #}
published_gld_suppressed as (
    select
        geography_code as borough_code,
        period as academic_year,
        breakdown_type,
        breakdown_value
    from {{ ref('fct_indicator_values') }}
    where metric_id = 'eyfs_gld' and geography_level = 'borough' and suppression_symbol = 'c'
        and breakdown_type in ('total', 'idaci_quintile', 'term_of_birth', 'sen_provision')
),

-- the boroughs and years DfE has published GLD for: the borough records of any other year are provisional
dfe_published_years as (
    select distinct geography_code as borough_code, academic_year
    from {{ ref('int_gld_published') }}
    where measure = 'gld' and breakdown_type = 'total' and geography_level = 'borough'
),

flagged_0 as (
    select
        counted.*,
        {{ fh_primary_suppression('counted.numerator', 'counted.denominator', "'percent'") }}
        or published_gld_suppressed.borough_code is not null as is_suppressed
    from counted
    left join published_gld_suppressed
        on counted.borough_code = published_gld_suppressed.borough_code
        and counted.academic_year = published_gld_suppressed.academic_year
        and counted.breakdown_type = published_gld_suppressed.breakdown_type
        and counted.breakdown_value = published_gld_suppressed.breakdown_value
),

{% for i in range(3) %}
across_statuses_{{ i }} as (
    {{ fh_secondary_suppression('flagged_' ~ i, 'is_suppressed',
        ['borough_code', 'academic_year', 'breakdown_type', 'breakdown_value'], 'denominator', 'hub_status') }}
),

flagged_{{ i + 1 }} as (
    {{ fh_secondary_suppression('across_statuses_' ~ i, 'is_suppressed',
        ['borough_code', 'academic_year', 'hub_status', 'breakdown_type'], 'denominator', 'breakdown_value',
        "breakdown_type <> 'total'") }}
),
{% endfor %}

estimated as (
    select
        flagged_3.*,
        100.0 * numerator / nullif(denominator, 0) as gld_pct,
        100.0 * {{ fh_wilson_lower('numerator', 'denominator', 95) }} as lower_95,
        100.0 * {{ fh_wilson_upper('numerator', 'denominator', 95) }} as upper_95
    from flagged_3
),

with_reference as (
    select
        estimated.*,
        not_known.gld_pct as not_known_gld_pct,
        not_known.is_suppressed as not_known_is_suppressed
    from estimated
    left join estimated as not_known
        on estimated.borough_code = not_known.borough_code
        and estimated.academic_year = not_known.academic_year
        and estimated.breakdown_type = not_known.breakdown_type
        and estimated.breakdown_value = not_known.breakdown_value
        and not_known.hub_status = 'not_known'
),

final as (
    select
        with_reference.borough_code,
        boroughs.borough_name,
        with_reference.academic_year,
        with_reference.hub_status,
        with_reference.breakdown_type,
        with_reference.breakdown_value,
        case when not is_suppressed then denominator end as children,
        case when not is_suppressed then numerator end as children_at_gld,
        case when not is_suppressed then round(gld_pct, 4) end as gld_pct,
        case when not is_suppressed then round(lower_95, 4) end as lower_95,
        case when not is_suppressed then round(upper_95, 4) end as upper_95,
        case when not not_known_is_suppressed then round(not_known_gld_pct, 4) end as not_known_gld_pct,
        case when not is_suppressed and not not_known_is_suppressed and hub_status <> 'not_known'
                then round(gld_pct - not_known_gld_pct, 4)
        end as difference_vs_not_known_pp,
        case when not is_suppressed and not not_known_is_suppressed and hub_status <> 'not_known'
                then {{ fh_compare_to_benchmark('lower_95', 'upper_95', 'not_known_gld_pct', "'no_judgement'") }}
        end as compared_to_not_known,
        'association, not effect' as interpretation,
        {{ borough_records_source() }} as source,
        {{ computed_precision_dp() }} as source_precision_dp,
        dfe_published_years.academic_year is null as is_provisional,
        case when is_suppressed then 'c' when gld_pct is null then 'x' end as suppression_symbol,
        '{{ var("framework_version", "starter-0.1") }}' as framework_version,
        {{ fhub_run_id() }} as run_id
    from with_reference
    left join boroughs
        on with_reference.borough_code = boroughs.borough_code
    left join dfe_published_years
        on with_reference.borough_code = dfe_published_years.borough_code
        and with_reference.academic_year = dfe_published_years.academic_year
)

select * from final
