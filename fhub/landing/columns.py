"""Map delivered headings onto the landing contract (which source column feeds which contract column) and
classify unmapped headings (ignored / unknown / personal data that must not land)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fhub.landing.quarantine import Unlandable
from fhub.landing.read import missing_columns_error, norm_header

#: Heading fragments that mean "personal identifier or contact detail" (never landed).
_PERSONAL_FRAGMENTS = ("nhs", "upn", "postcode", "surname", "forename", "firstname", "lastname", "fullname",
                       "address", "dateofbirth", "email", "phone", "telephone", "mobile")
_PERSONAL_EXACT = {"name", "dob", "childname", "parentname", "pupilname", "clientname", "carername"}


def looks_personal(heading: str, forbidden: tuple[str, ...]) -> bool:
    n = norm_header(heading)
    if not n:
        return False
    if n in _PERSONAL_EXACT or n in {norm_header(f) for f in forbidden}:
        return True
    return any(f in n for f in _PERSONAL_FRAGMENTS)


@dataclass
class ColumnPlan:
    #: contract column → 0-based index of the source column feeding it
    source_index: dict[str, int] = field(default_factory=dict)
    #: contract column → heading text as delivered (for messages)
    heading: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str | None, str, str]] = field(default_factory=list)  # (column, reason, fix)


def plan_columns(headers: list[str], spec: Any) -> ColumnPlan:
    contract = spec.contract
    plan = ColumnPlan()
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    for i, h in enumerate(headers):
        h = str(h).strip()
        if h in exact:
            plan.warnings.append((h, f"The heading '{h}' appears more than once; only the first such column "
                                     "(from the left) was used.", "Give every column a distinct heading."))
            continue
        exact[h] = i
        loose.setdefault(norm_header(h), i)
    used: set[int] = set()
    missing_required: list[str] = []
    for col, src in spec.columns.items():
        if src in exact:
            idx = exact[src]
        elif norm_header(src) in loose:
            idx = loose[norm_header(src)]
            plan.warnings.append((headers[idx], f"The heading '{headers[idx]}' was used for '{src}' (same letters, "
                                  "different spacing or capitals).", f"Use the exact heading '{src}'."))
        else:
            if col in contract.required:
                missing_required.append(src)
            else:
                plan.warnings.append((src, f"The optional column '{src}' is not in the file, so {col} is left "
                                      "empty for every row.", f"Add the column '{src}' if your system records it."))
            continue
        plan.source_index[col] = idx
        plan.heading[col] = str(headers[idx])
        used.add(idx)
    if missing_required:
        raise missing_columns_error([str(h) for h in headers], missing_required, "heading row")
    ignored = {norm_header(c) for c in (getattr(spec, "ignore_columns", ()) or ())}
    for i, h in enumerate(headers):
        h = str(h)
        if i in used or not h.strip() or norm_header(h) in ignored and not looks_personal(h, contract.forbidden):
            continue
        shown = re.sub(r"[\x00-\x1f]", " ", h)[:60]
        if looks_personal(h, contract.forbidden):
            plan.warnings.append((shown, f"The column '{shown}' holds personal details (names, NHS numbers, UPNs, "
                                  "addresses, postcodes, contact details) and was removed; it was not stored.",
                                  "Remove this column from the export: the hubs programme must not receive it."))
        elif norm_header(h) not in ignored:
            plan.warnings.append((shown, f"The column '{shown}' is not part of the agreed format and was not "
                                  "stored.", "No action needed if it is not wanted; otherwise ask the hub data "
                                  "team to add it to the borough mapping."))
    return plan


def require_unlandable(cond: bool, reason: str, fix: str) -> None:
    if cond:
        raise Unlandable(reason, fix)
