"""Three borough export dialects, as mapping-file templates.

Each dialect imitates a different case-management export. A borough's mapping file
(``config/boroughs/<slug>.yml``) is rendered from its dialect's template; the generator then writes files in
that dialect by *inverting* the mapping (contract column → source header, contract value → source value).

=========  ==========================================  ==============================================
dialect    files                                       code values / quirks
=========  ==========================================  ==============================================
alpha      CSV comma, UTF-8, dates ``%d/%m/%Y``;       Y/N flags, M/F sex, short service codes (IF,
           monthly activity files                       PMH…), ELGs ``ELG01``..``ELG17`` scored 1/2,
           ``<slug>_<extract>_2024-05.csv``;            school-census ethnicity codes (WBRI…).
           EYFSP ``<slug>_eyfsp_2023-24.csv``           **Raw identifiers:** register carries
                                                        ``NHS Number``, ``First Name``, ``Surname``,
                                                        ``Postcode`` (unmapped → landing drops them).
beta       CSV semicolon, UTF-8 with BOM, ISO dates;    snake_case headers, Male/Female, Yes/No,
           **quarterly** activity files                 Attended/DNA, service names in words, ELG
           ``<PFX>_FH_<extract>_2024-25_Q1.csv``;       headers in words, Emerging/Expected.
           EYFSP ``<PFX>_EYFSP_2023-24.csv``            **Raw identifiers:** EYFSP carries ``UPN``,
                                                        ``First Name``, ``Surname``.
gamma      XLSX with a 2-row title block (header on     numeric codes: sex 1/2/9, attended 1/0,
           row 3), Excel serial dates; monthly          services 01..12, stages 1/2/3; ELGs ``EM``/
           ``<PFX>_FamilyHubs_<Extract>_May2024.xlsx``;  ``EX``. **Raw identifiers:** register carries
           contacts as pipe-delimited text (the big     ``NHS Number`` and ``Address``.
           file) ``…_Contacts_May2024.txt``, ``%d-%m-%Y``
=========  ==========================================  ==============================================

Every dialect also has a *daily* contacts spec (period = day) for nightly top-up deliveries
(:func:`fhub_dev.demo.generate_day`).
"""

from __future__ import annotations

from typing import Any

from fhub.contracts import ELG_COLUMNS, REFERRAL_TO, SERVICE

DIALECTS = ("alpha", "beta", "gamma")

# ----------------------------------------------------------------------------------------------
# value vocabularies per dialect (source value → contract value); the first source value listed
# for a contract value is the one the generator writes.
# ----------------------------------------------------------------------------------------------
_SERVICES = list(SERVICE)  # the contract's service catalogue, in its order
_ALPHA_SERVICE_CODES = ["IF", "PMH", "PIR", "PAR", "ELH", "SAP", "HVR", "SEN", "YTH", "WMA", "DAS", "BRG"]
_BETA_SERVICE_NAMES = [
    "Infant feeding",
    "Perinatal mental health",
    "Parent-infant relationships",
    "Parenting programme",
    "Early language and home learning",
    "Stay and play",
    "Health visiting review",
    "SEND support",
    "Youth services",
    "Welfare and money advice",
    "Domestic abuse support",
    "Birth registration",
]
_REFERRAL_TO = list(REFERRAL_TO)  # the agreed codes, in the contract's order
_ALPHA_REFERRAL = ["EH", "CSC", "PMH", "SLT", "CAMHS", "HOU", "HV", "SEND", "DA", "WA", "OTH"]
_BETA_REFERRAL = [
    "Early Help",
    "Children's Social Care",
    "Perinatal Mental Health",
    "Speech and Language Therapy",
    "CAMHS",
    "Housing",
    "Health Visiting",
    "SEND Service",
    "Domestic Abuse Service",
    "Welfare Advice",
    "Other",
]
_GAMMA_REFERRAL = [f"R{i:02d}" for i in range(1, 12)]

_ELG_WORDS = [
    "Listening, Attention and Understanding",
    "Speaking",
    "Self-Regulation",
    "Managing Self",
    "Building Relationships",
    "Gross Motor Skills",
    "Fine Motor Skills",
    "Comprehension",
    "Word Reading",
    "Writing",
    "Number",
    "Numerical Patterns",
    "Past and Present",
    "People, Culture and Communities",
    "The Natural World",
    "Creating with Materials",
    "Being Imaginative and Expressive",
]
_GAMMA_ELG = [
    "CL_LAU",
    "CL_SPK",
    "PSED_SR",
    "PSED_MS",
    "PSED_BR",
    "PD_GM",
    "PD_FM",
    "L_COMP",
    "L_WR",
    "L_WRIT",
    "M_NUM",
    "M_NP",
    "UW_PP",
    "UW_PCC",
    "UW_NW",
    "EAD_CWM",
    "EAD_BIE",
]


def _zip(src: list[str], dst: list[str]) -> dict[str, Any]:
    return dict(zip(src, dst, strict=True))


def _alpha(slug: str, prefix: str) -> list[dict[str, Any]]:
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
        "service_code": _zip(_ALPHA_SERVICE_CODES, _SERVICES),
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
                "to_service": _zip(_ALPHA_REFERRAL, _REFERRAL_TO),
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


def _beta(slug: str, prefix: str) -> list[dict[str, Any]]:
    base = {
        "format": "csv",
        "delimiter": ";",
        "encoding": "utf-8-sig",
        "header_row": 1,
        "date_format": "%Y-%m-%d",
    }
    quarter = r"(?P<period>\d{4}-\d{2}_Q[1-4])"
    yn = {"Yes": True, "No": False}
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
        "service_code": _zip(_BETA_SERVICE_NAMES, _SERVICES),
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
                "ethnicity_group": {
                    "Asian, Asian British or Asian Welsh": "asian",
                    "Black, Black British, Black Welsh, Caribbean or African": "black",
                    "Mixed or Multiple ethnic groups": "mixed",
                    "White": "white",
                    "Other ethnic group": "other",
                    "Not known": "unknown",
                },
                "send_flag": yn,
                "first_language": {
                    "English": "english",
                    "Other than English": "other",
                    "Not known": "unknown",
                },
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
                "to_service": _zip(_BETA_REFERRAL, _REFERRAL_TO),
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
                **dict(zip(ELG_COLUMNS, _ELG_WORDS, strict=True)),
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
                "first_language": {
                    "English": "english",
                    "Other than English": "other",
                    "Not known": "unknown",
                },
                "ethnicity_group": {
                    "Asian, Asian British or Asian Welsh": "asian",
                    "Black, Black British, Black Welsh, Caribbean or African": "black",
                    "Mixed or Multiple ethnic groups": "mixed",
                    "White": "white",
                    "Other ethnic group": "other",
                    "Not known": "unknown",
                },
                **{elg: {"Emerging": "emerging", "Expected": "expected"} for elg in ELG_COLUMNS},
            },
        },
    ]


def _gamma(slug: str, prefix: str) -> list[dict[str, Any]]:
    xlsx = {"format": "xlsx", "sheet": "Data", "header_row": 3, "date_format": "excel_serial"}
    month = r"(?P<period>[A-Z][a-z]{2}\d{4})"
    one_zero = {"1": True, "0": False}
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
        "service_code": _zip([f"{i:02d}" for i in range(1, 13)], _SERVICES),
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
                "ethnicity_group": {
                    "A": "asian",
                    "B": "black",
                    "M": "mixed",
                    "W": "white",
                    "O": "other",
                    "Z": "unknown",
                },
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
                "to_service": _zip(_GAMMA_REFERRAL, _REFERRAL_TO),
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
                **dict(zip(ELG_COLUMNS, _GAMMA_ELG, strict=True)),
            },
            "values": {
                "sex": {"2": "female", "1": "male"},
                "fsm": one_zero,
                "sen_provision": {"N": "none", "K": "sen_support", "E": "ehc_plan"},
                "first_language": {"N": "english", "Y": "other", "U": "unknown"},
                "ethnicity_group": {
                    "A": "asian",
                    "B": "black",
                    "M": "mixed",
                    "W": "white",
                    "O": "other",
                    "Z": "unknown",
                },
                **{elg: {"EM": "emerging", "EX": "expected"} for elg in ELG_COLUMNS},
            },
        },
    ]


_TEMPLATES = {"alpha": _alpha, "beta": _beta, "gamma": _gamma}

#: Source headers each dialect sends that are raw identifiers, not mapped on purpose: landing's
#: forbidden-column rule drops them (with a receipt warning). extract → headers.
RAW_IDENTIFIER_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "alpha": {"register": ("NHS Number", "First Name", "Surname", "Postcode")},
    "beta": {"eyfsp": ("UPN", "First Name", "Surname")},
    "gamma": {"register": ("NHS Number", "Address")},
}
#: Extra (harmless) source columns each dialect sends, declared in ignore_columns.
EXTRA_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "alpha": {"register": ("Notes",), "eyfsp": ("SchoolName",)},
    "beta": {},
    "gamma": {},
}


#: Contract columns every dialect declares as free text (scrubbed at landing).
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {"contacts": ("partner_name",)}


def mapping_document(
    borough_code: str, borough_name: str, slug: str, prefix: str, dialect: str
) -> dict[str, Any]:
    """The mapping-file document (as a dict ready for YAML) of a borough exporting in ``dialect``."""
    if dialect not in _TEMPLATES:
        raise ValueError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    files = _TEMPLATES[dialect](slug, prefix)
    for spec in files:
        # people type free text into these columns (a partner's name, sometimes with a phone number or an
        # e-mail address): landing replaces anything identifier-like by a tag (docs/architecture.md)
        free = {c: "scrub" for c in FREE_TEXT_COLUMNS.get(spec["extract"], ()) if c in spec["columns"]}
        if free:
            spec["free_text"] = free
    return {
        "borough_code": borough_code,
        "borough_name": borough_name,
        "slug": slug,
        "dialect": dialect,
        "files": files,
    }
