"""Privacy: recognising personal identifiers in text (:mod:`fhub.privacy.identifiers`), the substring audit of
every artefact (:mod:`fhub.privacy.scan_duckdb`, :mod:`fhub.privacy.scan_files`, :mod:`fhub.privacy.artefacts`)
and the gate built on it (:mod:`fhub.privacy.gate`), originals encrypted at rest (:mod:`fhub.privacy.vault`,
:mod:`fhub.privacy.originals`), erasure (:mod:`fhub.privacy.erasure`), and spreadsheet-safe exports.

Principle (issue 13): any text that came from a borough's file is personal data until a rule proves otherwise.
Messages are templates; values are described by their masked :func:`shape`, never quoted.
"""

from fhub.privacy.identifiers import (
    IdentifierFinding,
    find_identifiers,
    has_identifier,
    normalise_text,
    scrub,
    shape,
)
from fhub.privacy.warehouse import (
    csv_safe_select,
    find_needles,
    neutralise_formula,
    nhs_check_digit_valid,
)

__all__ = [
    "IdentifierFinding",
    "csv_safe_select",
    "find_identifiers",
    "find_needles",
    "has_identifier",
    "neutralise_formula",
    "nhs_check_digit_valid",
    "normalise_text",
    "scrub",
    "shape",
]
