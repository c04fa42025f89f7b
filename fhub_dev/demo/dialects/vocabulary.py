"""Value vocabularies of the three dialects (source value -> contract value); the first source value listed
for a contract value is the one the generator writes."""

from __future__ import annotations

from typing import Any

from fhub.contracts import REFERRAL_TO, SERVICE

CONTRACT_SERVICES = list(SERVICE)  # the contract's service catalogue, in its order
ALPHA_SERVICE_CODES = ["IF", "PMH", "PIR", "PAR", "ELH", "SAP", "HVR", "SEN", "YTH", "WMA", "DAS", "BRG"]
BETA_SERVICE_NAMES = [
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
CONTRACT_REFERRALS = list(REFERRAL_TO)  # the agreed codes, in the contract's order
ALPHA_REFERRAL = ["EH", "CSC", "PMH", "SLT", "CAMHS", "HOU", "HV", "SEND", "DA", "WA", "OTH"]
BETA_REFERRAL = [
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
GAMMA_REFERRAL = [f"R{i:02d}" for i in range(1, 12)]

ELG_WORDS = [
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
GAMMA_ELG = [
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


def value_map(src: list[str], dst: list[str]) -> dict[str, Any]:
    return dict(zip(src, dst, strict=True))
