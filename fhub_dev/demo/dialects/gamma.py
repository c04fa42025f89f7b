"""Dialect gamma's mapping-file template (the dialects are described in fhub_dev/demo/dialects/__init__.py):
XLSX with a 2-row title block, Excel serial dates, numeric codes, contacts as pipe-delimited text; the register
carries raw identifiers (unmapped)."""

from __future__ import annotations

from typing import Any

from fhub.contracts import ELG_COLUMNS
from fhub_dev.demo.dialects.vocabulary import (
    CONTRACT_REFERRALS,
    CONTRACT_SERVICES,
    GAMMA_ELG,
    GAMMA_REFERRAL,
    value_map,
)


def mapping_template(slug: str, prefix: str) -> list[dict[str, Any]]:
    xlsx = {"format": "xlsx", "sheet": "Data", "header_row": 3, "date_format": "excel_serial"}
    month = r"(?P<period>[A-Z][a-z]{2}\d{4})"
    one_zero = {"1": True, "0": False}
    ethnicity = {
        "A": "asian",
        "B": "black",
        "M": "mixed",
        "W": "white",
        "O": "other",
        "Z": "unknown",
    }
    contacts_cols = {
        "contact_id": "Contact ID",
        "person_id": "Person ID",
        "family_id": "Family ID",
        "hub_id": "Hub",
        "venue": "Venue Type",
        "service_code": "Service",
        "delivery_model": "Delivery",
        "partner_name": "Partner Org",
        "contact_date": "Contact Date",
        "attended": "Attended",
    }
    contacts_values = {
        "venue": {"H": "hub", "O": "outreach", "V": "virtual"},
        "service_code": value_map([f"{i:02d}" for i in range(1, 13)], CONTRACT_SERVICES),
        "delivery_model": {"D": "direct", "C": "commissioned"},
        "attended": one_zero,
    }
    pipe = {
        "format": "csv",
        "delimiter": "|",
        "encoding": "utf-8",
        "header_row": 1,
        "date_format": "%d-%m-%Y",
    }
    return [
        {
            "extract": "register",
            "pattern": rf"^{prefix}_FamilyHubs_Register_{month}\.xlsx$",
            "period_format": "month",
            **xlsx,
            "columns": {
                "person_id": "Person ID",
                "family_id": "Family ID",
                "role": "Role",
                "birth_month": "Birth Month",
                "sex": "Sex",
                "ethnicity_group": "Ethnicity",
                "home_lsoa": "LSOA 2011",
                "send_flag": "SEND",
                "first_language": "Language",
                "registration_date": "Date Registered",
                "hub_id": "Hub",
                "consent_data_sharing": "Consent",
            },
            "values": {
                "role": {"CH": "child", "YP": "young_person", "PC": "parent_carer", "EP": "expectant_parent"},
                "sex": {"2": "female", "1": "male", "3": "other", "9": "unknown"},
                "ethnicity_group": ethnicity,
                "send_flag": one_zero,
                "first_language": {"E": "english", "O": "other", "U": "unknown"},
                "consent_data_sharing": one_zero,
            },
        },
        {
            "extract": "contacts",
            "pattern": rf"^{prefix}_FamilyHubs_Contacts_{month}\.txt$",
            "period_format": "month",
            **pipe,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "contacts",
            "pattern": rf"^{prefix}_FamilyHubs_Contacts_Daily_(?P<period>\d{{2}}-\d{{2}}-\d{{4}})\.txt$",
            "period_format": "day",
            **pipe,
            "columns": contacts_cols,
            "values": contacts_values,
        },
        {
            "extract": "referrals",
            "pattern": rf"^{prefix}_FamilyHubs_Referrals_{month}\.xlsx$",
            "period_format": "month",
            **xlsx,
            "columns": {
                "referral_id": "Referral ID",
                "person_id": "Person ID",
                "family_id": "Family ID",
                "hub_id": "Hub",
                "to_service": "Referred To",
                "referral_date": "Date Referred",
                "outcome": "Outcome",
                "outcome_date": "Outcome Date",
            },
            "values": {
                "to_service": value_map(GAMMA_REFERRAL, CONTRACT_REFERRALS),
                "outcome": {"A": "accepted", "D": "declined", "N": "no_further_action", "P": "pending"},
            },
        },
        {
            "extract": "assessments",
            "pattern": rf"^{prefix}_FamilyHubs_Assessments_{month}\.xlsx$",
            "period_format": "month",
            **xlsx,
            "columns": {
                "assessment_id": "Assessment ID",
                "person_id": "Person ID",
                "hub_id": "Hub",
                "tool": "Tool",
                "stage": "Stage",
                "assessment_date": "Date",
                "age_months": "Age (months)",
                "asq_communication": "Communication",
                "asq_gross_motor": "Gross Motor",
                "asq_fine_motor": "Fine Motor",
                "asq_problem_solving": "Problem Solving",
                "asq_personal_social": "Personal-Social",
                "swemwbs_raw_total": "SWEMWBS Score",
            },
            "values": {
                "tool": {"ASQ3": "asq3", "SWEMWBS": "swemwbs"},
                "stage": {"1": "baseline", "2": "review", "3": "exit"},
            },
        },
        {
            "extract": "eyfsp",
            "pattern": rf"^{prefix}_EYFSP_AY(?P<period>\d{{4}}-\d{{2}})\.xlsx$",
            "period_format": "academic_year",
            **xlsx,
            "columns": {
                "pupil_id": "Pupil ID",
                "academic_year": "Academic Year",
                "school_urn": "School URN",
                "sex": "Sex",
                "birth_month": "Birth Month",
                "fsm": "FSM",
                "sen_provision": "SEN",
                "first_language": "EAL",
                "ethnicity_group": "Ethnicity",
                "home_lsoa": "LSOA 2011",
                **dict(zip(ELG_COLUMNS, GAMMA_ELG, strict=True)),
            },
            "values": {
                "sex": {"2": "female", "1": "male"},
                "fsm": one_zero,
                "sen_provision": {"N": "none", "K": "sen_support", "E": "ehc_plan"},
                "first_language": {"N": "english", "Y": "other", "U": "unknown"},
                "ethnicity_group": ethnicity,
                **{elg: {"EM": "emerging", "EX": "expected"} for elg in ELG_COLUMNS},
            },
        },
    ]
