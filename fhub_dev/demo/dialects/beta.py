"""Dialect beta's mapping-file template (the dialects are described in fhub_dev/demo/dialects/__init__.py):
CSV semicolon, UTF-8 with BOM, ISO dates, quarterly activity files, snake_case headers, codes in words, ELG
headers in words; the EYFSP file carries raw identifiers (unmapped)."""

from __future__ import annotations

from typing import Any

from fhub.contracts import ELG_COLUMNS
from fhub_dev.demo.dialects.vocabulary import (
    BETA_REFERRAL,
    BETA_SERVICE_NAMES,
    CONTRACT_REFERRALS,
    CONTRACT_SERVICES,
    ELG_WORDS,
    value_map,
)


def mapping_template(slug: str, prefix: str) -> list[dict[str, Any]]:
    base = {
        "format": "csv",
        "delimiter": ";",
        "encoding": "utf-8-sig",
        "header_row": 1,
        "date_format": "%Y-%m-%d",
    }
    quarter = r"(?P<period>\d{4}-\d{2}_Q[1-4])"
    yn = {"Yes": True, "No": False}
    language = {
        "English": "english",
        "Other than English": "other",
        "Not known": "unknown",
    }
    ethnicity = {
        "Asian, Asian British or Asian Welsh": "asian",
        "Black, Black British, Black Welsh, Caribbean or African": "black",
        "Mixed or Multiple ethnic groups": "mixed",
        "White": "white",
        "Other ethnic group": "other",
        "Not known": "unknown",
    }
    contacts_cols = {
        "contact_id": "contact_no",
        "person_id": "person_ref",
        "family_id": "family_ref",
        "hub_id": "site",
        "venue": "setting",
        "service_code": "service",
        "delivery_model": "delivery",
        "partner_name": "provider",
        "contact_date": "contact_date",
        "attended": "attendance",
    }
    contacts_values = {
        "venue": {"Hub": "hub", "Outreach": "outreach", "Virtual": "virtual"},
        "service_code": value_map(BETA_SERVICE_NAMES, CONTRACT_SERVICES),
        "delivery_model": {"In-house": "direct", "Commissioned": "commissioned"},
        "attended": {"Attended": True, "DNA": False, "Did not attend": False},
    }
    return [
        {
            "extract": "register",
            "pattern": rf"^{prefix}_FH_register_{quarter}\.csv$",
            "period_format": "quarter",
            **base,
            "columns": {
                "person_id": "person_ref",
                "family_id": "family_ref",
                "role": "role",
                "birth_month": "month_of_birth",
                "sex": "sex",
                "ethnicity_group": "ethnicity",
                "home_lsoa": "lsoa11cd",
                "send_flag": "send",
                "first_language": "first_language",
                "registration_date": "registered_on",
                "hub_id": "hub",
                "consent_data_sharing": "consent",
            },
            "values": {
                "role": {
                    "child": "child",
                    "young person": "young_person",
                    "parent": "parent_carer",
                    "carer": "parent_carer",
                    "expectant": "expectant_parent",
                },
                "sex": {"Female": "female", "Male": "male", "Other": "other", "Not known": "unknown"},
                "ethnicity_group": ethnicity,
                "send_flag": yn,
                "first_language": language,
                "consent_data_sharing": yn,
            },
        },
        {
            "extract": "contacts",
            "pattern": rf"^{prefix}_FH_contacts_{quarter}\.csv$",
            "period_format": "quarter",
            **base,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "contacts",
            "pattern": rf"^{prefix}_FH_contacts_(?P<period>\d{{8}})\.csv$",
            "period_format": "day",
            **base,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "referrals",
            "pattern": rf"^{prefix}_FH_referrals_{quarter}\.csv$",
            "period_format": "quarter",
            **base,
            "columns": {
                "referral_id": "referral_no",
                "person_id": "person_ref",
                "family_id": "family_ref",
                "hub_id": "site",
                "to_service": "referred_to",
                "referral_date": "referral_date",
                "outcome": "outcome",
                "outcome_date": "outcome_date",
            },
            "values": {
                "to_service": value_map(BETA_REFERRAL, CONTRACT_REFERRALS),
                "outcome": {
                    "Accepted": "accepted",
                    "Declined": "declined",
                    "No further action": "no_further_action",
                    "Awaiting decision": "pending",
                },
            },
        },
        {
            "extract": "assessments",
            "pattern": rf"^{prefix}_FH_assessments_{quarter}\.csv$",
            "period_format": "quarter",
            **base,
            "columns": {
                "assessment_id": "assessment_no",
                "person_id": "person_ref",
                "hub_id": "site",
                "tool": "measure",
                "stage": "timepoint",
                "assessment_date": "completed_on",
                "age_months": "age_in_months",
                "asq_communication": "asq_communication",
                "asq_gross_motor": "asq_gross_motor",
                "asq_fine_motor": "asq_fine_motor",
                "asq_problem_solving": "asq_problem_solving",
                "asq_personal_social": "asq_personal_social",
                "swemwbs_raw_total": "swemwbs_total",
            },
            "values": {
                "tool": {"ASQ3": "asq3", "SWEMWBS": "swemwbs"},
                "stage": {"Baseline": "baseline", "Review": "review", "Exit": "exit"},
            },
        },
        {
            "extract": "eyfsp",
            "pattern": rf"^{prefix}_EYFSP_(?P<period>\d{{4}}-\d{{2}})\.csv$",
            "period_format": "academic_year",
            **base,
            "columns": {
                "pupil_id": "pupil_ref",
                "academic_year": "academic_year",
                "school_urn": "school_urn",
                "sex": "sex",
                "birth_month": "month_of_birth",
                "fsm": "fsm_eligible",
                "sen_provision": "sen_provision",
                "first_language": "first_language",
                "ethnicity_group": "ethnicity",
                "home_lsoa": "lsoa11cd",
                **dict(zip(ELG_COLUMNS, ELG_WORDS, strict=True)),
            },
            "values": {
                "sex": {"Female": "female", "Male": "male"},
                "fsm": yn,
                "sen_provision": {
                    "No SEN": "none",
                    "SEN support": "sen_support",
                    "EHC plan": "ehc_plan",
                    "Not known": "unknown",
                },
                "first_language": language,
                "ethnicity_group": ethnicity,
                **{elg: {"Emerging": "emerging", "Expected": "expected"} for elg in ELG_COLUMNS},
            },
        },
    ]
