"""Dialect alpha's mapping-file template (the dialects are described in fhub_dev/demo/dialects/__init__.py):
CSV comma, UTF-8, dates ``%d/%m/%Y``, monthly activity files, Y/N flags, M/F sex, short service codes, ELGs
``ELG01``..``ELG17`` scored 1/2; the register carries raw identifiers (unmapped)."""

from __future__ import annotations

from typing import Any

from fhub.contracts import ELG_COLUMNS
from fhub_dev.demo.dialects.vocabulary import (
    ALPHA_REFERRAL,
    ALPHA_SERVICE_CODES,
    CONTRACT_REFERRALS,
    CONTRACT_SERVICES,
    value_map,
)


def mapping_template(slug: str, prefix: str) -> list[dict[str, Any]]:
    base = {
        "format": "csv",
        "delimiter": ",",
        "encoding": "utf-8",
        "header_row": 1,
        "date_format": "%d/%m/%Y",
    }
    month = r"(?P<period>\d{4}-\d{2})"
    yn = {"Y": True, "N": False}
    contacts_cols = {
        "contact_id": "ContactRef",
        "person_id": "ClientID",
        "family_id": "FamilyID",
        "hub_id": "HubCode",
        "venue": "Venue",
        "service_code": "ServiceCode",
        "delivery_model": "DeliveredBy",
        "partner_name": "Partner",
        "contact_date": "ContactDate",
        "attended": "Attended",
    }
    contacts_values = {
        "venue": {"Centre": "hub", "Outreach": "outreach", "Online": "virtual"},
        "service_code": value_map(ALPHA_SERVICE_CODES, CONTRACT_SERVICES),
        "delivery_model": {"Direct": "direct", "Commissioned": "commissioned"},
        "attended": yn,
    }
    return [
        {
            "extract": "register",
            "pattern": rf"^{slug}_register_{month}\.csv$",
            "period_format": "month",
            **base,
            "columns": {
                "person_id": "ClientID",
                "family_id": "FamilyID",
                "role": "Role",
                "birth_month": "DOB",
                "sex": "Gender",
                "ethnicity_group": "Ethnicity",
                "home_lsoa": "LSOA",
                "send_flag": "SEND",
                "first_language": "Language",
                "registration_date": "RegDate",
                "hub_id": "HubCode",
                "consent_data_sharing": "Consent",
            },
            "values": {
                "role": {
                    "Child": "child",
                    "Young Person": "young_person",
                    "Parent/Carer": "parent_carer",
                    "Expectant Parent": "expectant_parent",
                },
                "sex": {"F": "female", "M": "male", "X": "other", "U": "unknown"},
                "ethnicity_group": {
                    "Asian/Asian British": "asian",
                    "Black/Black British": "black",
                    "Mixed": "mixed",
                    "White": "white",
                    "Other ethnic group": "other",
                    "Not stated": "unknown",
                },
                "send_flag": yn,
                "first_language": {"English": "english", "Other": "other", "Not known": "unknown"},
                "consent_data_sharing": yn,
            },
            "ignore_columns": ["Notes"],
        },
        {
            "extract": "contacts",
            "pattern": rf"^{slug}_contacts_{month}\.csv$",
            "period_format": "month",
            **base,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "contacts",
            "pattern": rf"^{slug}_contacts_daily_(?P<period>\d{{4}}-\d{{2}}-\d{{2}})\.csv$",
            "period_format": "day",
            **base,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "referrals",
            "pattern": rf"^{slug}_referrals_{month}\.csv$",
            "period_format": "month",
            **base,
            "columns": {
                "referral_id": "ReferralRef",
                "person_id": "ClientID",
                "family_id": "FamilyID",
                "hub_id": "HubCode",
                "to_service": "ReferredTo",
                "referral_date": "ReferralDate",
                "outcome": "Outcome",
                "outcome_date": "OutcomeDate",
            },
            "values": {
                "to_service": value_map(ALPHA_REFERRAL, CONTRACT_REFERRALS),
                "outcome": {
                    "Accepted": "accepted",
                    "Declined": "declined",
                    "NFA": "no_further_action",
                    "Pending": "pending",
                },
            },
        },
        {
            "extract": "assessments",
            "pattern": rf"^{slug}_assessments_{month}\.csv$",
            "period_format": "month",
            **base,
            "columns": {
                "assessment_id": "AssessmentRef",
                "person_id": "ClientID",
                "hub_id": "HubCode",
                "tool": "Tool",
                "stage": "Stage",
                "assessment_date": "AssessmentDate",
                "age_months": "AgeMonths",
                "asq_communication": "ASQ_Comm",
                "asq_gross_motor": "ASQ_GM",
                "asq_fine_motor": "ASQ_FM",
                "asq_problem_solving": "ASQ_PS",
                "asq_personal_social": "ASQ_PSo",
                "swemwbs_raw_total": "SWEMWBS_Total",
            },
            "values": {
                "tool": {"ASQ-3": "asq3", "SWEMWBS": "swemwbs"},
                "stage": {"Baseline": "baseline", "Review": "review", "Exit": "exit"},
            },
        },
        {
            "extract": "eyfsp",
            "pattern": rf"^{slug}_eyfsp_(?P<period>\d{{4}}-\d{{2}})\.csv$",
            "period_format": "academic_year",
            **base,
            "columns": {
                "pupil_id": "PupilID",
                "academic_year": "AcademicYear",
                "school_urn": "URN",
                "sex": "Gender",
                "birth_month": "BirthMonth",
                "fsm": "FSM",
                "sen_provision": "SEN",
                "first_language": "Language",
                "ethnicity_group": "Ethnicity",
                "home_lsoa": "LSOA",
                **{elg: f"ELG{i:02d}" for i, elg in enumerate(ELG_COLUMNS, start=1)},
            },
            "values": {
                "sex": {"F": "female", "M": "male"},
                "fsm": yn,
                "sen_provision": {"N": "none", "K": "sen_support", "E": "ehc_plan"},
                "first_language": {"ENG": "english", "OTH": "other", "NOT": "unknown"},
                "ethnicity_group": {
                    "ABAN": "asian",
                    "AIND": "asian",
                    "APKN": "asian",
                    "AOTH": "asian",
                    "BAFR": "black",
                    "BCRB": "black",
                    "BOTH": "black",
                    "MWBC": "mixed",
                    "MOTH": "mixed",
                    "WBRI": "white",
                    "WOTH": "white",
                    "OOTH": "other",
                    "CHNE": "other",
                    "REFU": "unknown",
                    "NOBT": "unknown",
                },
                **{elg: {"1": "emerging", "2": "expected"} for elg in ELG_COLUMNS},
            },
            "ignore_columns": ["SchoolName"],
        },
    ]
