"""Which landing extracts a metric depends on, from ``framework_metrics.source_extract``.

The framework records sources as extract names (``eyfsp``) or as the core marts they are computed from
(``fct_eyfsp_results + fct_hub_registrations``). Reference data (``int_lsoa_deprivation``, published
statistics) is not a borough delivery and is ignored.
"""

from __future__ import annotations

import re

EXTRACTS = ("register", "contacts", "referrals", "assessments", "eyfsp")
_SPLIT = re.compile(r"[,;+/|\s]+")
_MODEL_TO_EXTRACT = {
    "fct_hub_registrations": "register",
    "fct_hub_contacts": "contacts",
    "fct_referrals": "referrals",
    "fct_assessments": "assessments",
    "fct_eyfsp_results": "eyfsp",
    "hub_register": "register",
    "hub_contacts": "contacts",
    "hub_referrals": "referrals",
    "hub_assessments": "assessments",
    "eyfsp_results": "eyfsp",
}


def extracts_of(source: str | None) -> tuple[str, ...] | None:
    """Extracts behind a ``source_extract`` value; ``None`` when unknown (empty), ``()`` for reference-only."""
    text = str(source or "").strip().lower()
    if not text:
        return None
    found: list[str] = []
    for token in _SPLIT.split(text):
        extract = token if token in EXTRACTS else _MODEL_TO_EXTRACT.get(token.split(".")[-1])
        if extract and extract not in found:
            found.append(extract)
    return tuple(found)
