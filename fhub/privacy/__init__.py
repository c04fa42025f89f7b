"""Privacy: recognising personal identifiers in text (:mod:`fhub.privacy.identifiers`), scanning a DuckDB
catalog for them (:mod:`fhub.privacy.warehouse`) and keeping exports spreadsheet-safe.

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
    find_identifier_like_values,
    find_needles,
    neutralise_formula,
    nhs_check_digit_valid,
)

__all__ = [
    "IdentifierFinding",
    "csv_safe_select",
    "find_identifier_like_values",
    "find_identifiers",
    "find_needles",
    "has_identifier",
    "neutralise_formula",
    "nhs_check_digit_valid",
    "normalise_text",
    "scrub",
    "shape",
]
