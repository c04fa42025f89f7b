"""How a delivery is named outside the work file: by a *label* built from what the agreed file-name pattern
said (borough, extract, period) and its delivery id - never by the file name itself (issue 13).

``hackney contacts 2024-05 (delivery 3f2a91c0)``; a file whose name did not follow any agreed pattern is
``hackney file with an unrecognised name (delivery 3f2a91c0)``. The file name as delivered stays in the work
file (``landing.deliveries.source_file``); the borough's own receipt shows it when it follows the agreed
pattern (then it says nothing but borough, extract and period) and masked when it does not.
"""

from __future__ import annotations

from fhub.privacy.identifiers import has_identifier
from fhub.privacy.messages import masked_file_name


def delivery_label(slug: str | None, extract: str | None, period: str | None, delivery_id: str | None) -> str:
    """The published name of a delivery. ``slug`` is the borough's configured folder name."""
    short = (delivery_id or "")[:8] or "unknown"
    who = slug or "a borough"
    if extract and period:
        return f"{who} {extract} {period} (delivery {short})"
    return f"{who} file with an unrecognised name (delivery {short})"


def receipt_file_name(name: str, matched: bool) -> str:
    """The file name as the borough's receipt may show it: as delivered when it followed the agreed pattern
    (and holds nothing identifier-like), otherwise masked (``a name of 10 digits + .csv``)."""
    if matched and not has_identifier(name):
        return name
    return masked_file_name(name)
