{#- One row per borough × academic year × reconciliation check, wherever both the borough's records and DfE's
    published figure exist: does the borough's EYFSP extract reproduce what DfE published for it? Checks:
    GLD, all ELGs expected, communication-language-literacy and FSM-eligible GLD (percentage points), and the
    cohort (children in the records against the children DfE counted, where DfE publishes counts).

    Tolerance (docs/reports.md "Reconciliation with DfE"):
      rounding   half a unit of DfE's last published decimal place (0.05 pp for a 1-dp figure, 0.5 pp for a
                 whole number, ~0 for the current EES file's unrounded figures);
      late       children returned after DfE's collection, or before the borough's extract was taken: the
                 larger of var reconciliation_late_children_min (3) and var reconciliation_late_share (1 %)
                 of the cohort (DfE's count where published, else the records'), rounded up; a rate moves
                 by at most 100 × late / cohort points when that many children are added or removed;
      a rate passes when |records - DfE| <= rounding + 100 × late / cohort; the cohort passes when
      |records' children - DfE's children| <= late.
    A pass/fail with a plain reason, recorded as data-quality results (fhub/dq/reconciliation.py: source
    reconciliation, check reconciles_with_dfe_<measure>, scope borough × eyfsp × academic year, severity warn).
    Reasons are templates: only measure names, years, DfE's published figures and sources, counts of
    children and percentage points; a borough-records figure is quoted only when indicator_values shows it
    (not suppressed). The GLD target tracker fits the two GLD series together only where every year's GLD
    check passed. -#}
{%- set late_share = var('reconciliation_late_share', 0.01) %}
{%- set late_min = var('reconciliation_late_children_min', 3) %}
{%- set checks = [
    ('gld', 'total', 'eyfs_gld', 'reconciles_with_dfe_gld', 'GLD'),
    ('all_elgs_expected', 'total', 'eyfs_all_elgs', 'reconciles_with_dfe_all_elgs_expected',
     'all 17 ELGs at the expected level'),
    ('comm_lang_lit', 'total', 'eyfs_comm_lang_lit', 'reconciles_with_dfe_comm_lang_lit',
     'communication, language and literacy at the expected level'),
    ('gld', 'eligible', 'eyfs_gld', 'reconciles_with_dfe_gld_fsm_eligible', 'GLD of FSM-eligible children'),
] %}
with

records as (
    select * from {{ ref('int_eyfsp_indicators_counted') }}
    where geography_level = 'borough'
),

published as (
    select * from {{ ref('int_gld_published') }}
    where geography_level = 'borough'
),

shown as (
    select * from {{ ref('fct_indicator_values') }}
    where geography_level = 'borough'
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

rate_pairs as (
    {%- for measure, dfe_breakdown, metric_id, check_name, label in checks %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        records.borough_code,
        records.period as academic_year,
        '{{ check_name }}' as check_name,
        '{{ label }}' as measure_label,
        records.numerator as records_numerator,
        records.denominator as records_denominator,
        100.0 * records.numerator / records.denominator as records_value,
        cast(published.numerator as double) as dfe_numerator,
        cast(published.denominator as double) as dfe_denominator,
        published.value as dfe_value,
        published.source_label as dfe_source,
        published.source_precision_dp as dfe_precision_dp,
        coalesce(shown.suppression_symbol is null and shown.value is not null, false) as is_records_value_shown
    from records
    inner join published
        on records.borough_code = published.geography_code
        and records.period = published.academic_year
        and published.measure = '{{ measure }}'
        and published.breakdown_value = '{{ dfe_breakdown }}'
    left join shown
        on records.borough_code = shown.geography_code
        and records.period = shown.period
        and records.metric_id = shown.metric_id
        and records.breakdown_type = shown.breakdown_type
        and records.breakdown_value = shown.breakdown_value
    where records.metric_id = '{{ metric_id }}'
        and records.breakdown_value = '{{ "total" if dfe_breakdown == "total" else "fsm_eligible" }}'
        and records.denominator > 0
    {%- endfor %}
),

rate_checks as (
    select
        *,
        case when dfe_precision_dp >= 4 then 0.0 else 0.5 * power(10, -dfe_precision_dp) end
            as rounding_allowance_pp,
        cast(greatest(
            {{ late_min }}, ceil({{ late_share }} * coalesce(dfe_denominator, records_denominator))
        ) as bigint) as late_return_children
    from rate_pairs
),

rates_judged as (
    select
        *,
        rounding_allowance_pp
        + 100.0 * late_return_children / coalesce(dfe_denominator, records_denominator) as tolerance,
        records_value - dfe_value as difference
    from rate_checks
),

rates_final as (
    select
        borough_code,
        academic_year,
        check_name,
        'consistency' as dimension,
        'percentage_points' as unit,
        round(records_value, 4) as records_value,
        records_numerator,
        records_denominator,
        dfe_value,
        dfe_numerator,
        dfe_denominator,
        dfe_source,
        dfe_precision_dp,
        rounding_allowance_pp,
        late_return_children,
        round(tolerance, 4) as tolerance,
        round(difference, 4) as difference,
        case when abs(difference) <= tolerance + 1e-9 then 'pass' else 'fail' end as status,
        printf('%+.2f pp (tolerance %.2f pp)', difference, tolerance) as observed_value,
        case
            when abs(difference) <= tolerance + 1e-9
                then 'Borough records agree with DfE''s published ' || measure_label || ' for ' || academic_year
                    || ': ' || case when is_records_value_shown then printf('%.1f%%', records_value) || ' against '
                        else ''
                    end
                    || printf('%.' || dfe_precision_dp || 'f%%', dfe_value) || ' (' || dfe_source
                    || '), within the tolerance of ' || printf('%.2f', tolerance) || ' percentage points.'
            when is_records_value_shown
                then 'Borough records give ' || measure_label || ' of ' || printf('%.1f%%', records_value)
                    || ' for ' || academic_year || ', ' || printf('%.2f', abs(difference)) || ' percentage points '
                    || case when difference > 0 then 'above' else 'below' end || ' DfE''s published '
                    || printf('%.' || dfe_precision_dp || 'f%%', dfe_value) || ' (' || dfe_source
                    || '); the tolerance is ' || printf('%.2f', tolerance) || ' points (DfE''s rounding plus '
                    || cast(late_return_children as varchar) || ' children returned late).'
            else 'Borough records differ from DfE''s published ' || measure_label || ' for ' || academic_year
                || ' (' || printf('%.' || dfe_precision_dp || 'f%%', dfe_value) || ', ' || dfe_source
                || ') by more than the tolerance of ' || printf('%.2f', tolerance)
                || ' percentage points; the records'' figure is not shown because it is suppressed for '
                || 'disclosure control.'
        end as message
    from rates_judged
),

cohort_checks as (
    select
        records.borough_code,
        records.period as academic_year,
        records.denominator as records_children,
        cast(published.denominator as double) as dfe_children,
        published.source_label as dfe_source,
        cast(greatest({{ late_min }}, ceil({{ late_share }} * published.denominator)) as bigint)
            as late_return_children
    from records
    inner join published
        on records.borough_code = published.geography_code
        and records.period = published.academic_year
        and published.measure = 'gld'
        and published.breakdown_value = 'total'
        and published.denominator > 0
    -- every child in the borough's return, complete profile or not (DfE counts every child with a record)
    where records.metric_id = 'eyfs_cohort_known_to_hubs'
        and records.breakdown_type = 'total'
),

cohort_final as (
    select
        borough_code,
        academic_year,
        'reconciles_with_dfe_cohort' as check_name,
        'completeness' as dimension,
        'children' as unit,
        records_children as records_value,
        cast(null as double) as records_numerator,
        records_children as records_denominator,
        dfe_children as dfe_value,
        cast(null as double) as dfe_numerator,
        dfe_children as dfe_denominator,
        dfe_source,
        0 as dfe_precision_dp,
        0.0 as rounding_allowance_pp,
        late_return_children,
        cast(late_return_children as double) as tolerance,
        records_children - dfe_children as difference,
        case when abs(records_children - dfe_children) <= late_return_children then 'pass' else 'fail' end
            as status,
        printf(
            '%+d children (tolerance %d)', cast(records_children - dfe_children as bigint),
            cast(late_return_children as bigint)
        ) as observed_value,
        case
            when abs(records_children - dfe_children) <= late_return_children
                then 'Borough records hold ' || format('{:,}', cast(records_children as bigint))
                    || ' children for '
                    || academic_year
                    || ' against the '
                    || format('{:,}', cast(dfe_children as bigint))
                    || ' DfE counted (' || dfe_source || '), within the ' || cast(late_return_children as varchar)
                    || ' allowed for late returns.'
            else 'Borough records hold ' || format('{:,}', cast(records_children as bigint)) || ' children for '
                || academic_year || ', but DfE counted ' || format('{:,}', cast(dfe_children as bigint)) || ' ('
                || dfe_source || '): ' || format('{:,}', cast(abs(records_children - dfe_children) as bigint))
                || ' children ' || case when records_children < dfe_children then 'fewer' else 'more' end
                || ', more than the ' || cast(late_return_children as varchar)
                || ' allowed for late returns. The extract looks incomplete (for example a school missing).'
        end as message
    from cohort_checks
),

combined as (
    select * from rates_final
    union all by name
    select * from cohort_final
),

final as (
    select
        combined.borough_code,
        boroughs.borough_name,
        combined.academic_year,
        combined.check_name,
        combined.dimension,
        combined.unit,
        combined.status,
        combined.records_value,
        combined.records_numerator,
        combined.records_denominator,
        combined.dfe_value,
        combined.dfe_numerator,
        combined.dfe_denominator,
        combined.dfe_source,
        cast(combined.dfe_precision_dp as integer) as dfe_precision_dp,
        combined.rounding_allowance_pp,
        cast(combined.late_return_children as integer) as late_return_children,
        combined.tolerance,
        combined.difference,
        combined.observed_value,
        combined.message,
        case when combined.status = 'pass' then ''
            else 'Check that the EYFSP extract for ' || combined.academic_year || ' holds every school and every '
                || 'child in the return the borough made to DfE (a school or setting missing, children added '
                || 'or amended after the extract was taken); then resubmit the complete extract. Until it '
                || 'reconciles, the borough''s own figures are shown beside DfE''s, not joined to them.'
        end as fix
    from combined
    left join boroughs
        on combined.borough_code = boroughs.borough_code
)

select * from final
