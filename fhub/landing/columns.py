"""Map delivered headings onto the landing contract (which source column feeds which contract column) and
classify unmapped headings (ignored / unknown / personal data that must not land)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fhub.landing.quarantine import Unlandable
from fhub.landing.read import agreed_headings, missing_columns_error, norm_header
from fhub.privacy.identifiers import shape
from fhub.privacy.messages import agreed_name

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
    #: contract column → its agreed heading (the mapping's source column name: for messages, never the text
    #: as delivered)
    heading: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str | None, str, str]] = field(default_factory=list)  # (column, reason, fix)


#: What a personal heading fragment suggests the column holds (for messages: the heading itself is not shown).
_PERSONAL_KINDS = (("nhs", "NHS numbers"), ("upn", "UPNs"), ("postcode", "postcodes"), ("address", "addresses"),
                   ("dob", "dates of birth"), ("dateofbirth", "dates of birth"), ("email", "e-mail addresses"),
                   ("phone", "phone numbers"), ("mobile", "phone numbers"), ("name", "names"))


def _personal_kind(heading: str) -> str:
    n = norm_header(heading)
    return next((kind for fragment, kind in _PERSONAL_KINDS if fragment in n), "personal details")


def plan_columns(headers: list[str], spec: Any) -> ColumnPlan:
    """Which delivered column feeds which contract column. Messages name a column by its agreed heading when
    it is one (exactly or with other spacing/capitals), otherwise by its position and shape."""
    contract = spec.contract
    plan = ColumnPlan()
    agreed = agreed_headings(spec)
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    for i, h in enumerate(headers):
        h = str(h).strip()
        if h in exact:
            name = agreed_name(h, agreed)
            what = f"The heading '{name}'" if name else f"The heading of column {i + 1} ({shape(h)})"
            plan.warnings.append((name or f"column {i + 1}", f"{what} appears more than once (first in column "
                                  f"{exact[h] + 1}); only the first such column (from the left) was used.",
                                  "Give every column a distinct heading."))
            continue
        exact[h] = i
        loose.setdefault(norm_header(h), i)
    used: set[int] = set()
    missing_required: list[str] = []
    drop = {c for c, policy in (getattr(spec, "free_text", None) or {}).items() if policy == "drop"}
    for col, src in spec.columns.items():
        if src in exact:
            idx = exact[src]
        elif norm_header(src) in loose:
            idx = loose[norm_header(src)]
            plan.warnings.append((src, f"The heading in column {idx + 1} was used for '{src}' (same letters, "
                                  "different spacing or capitals).", f"Use the exact heading '{src}'."))
        else:
            if col in contract.required:
                missing_required.append(src)
            elif col not in drop:
                plan.warnings.append((src, f"The optional column '{src}' is not in the file, so {col} is left "
                                      "empty for every row.", f"Add the column '{src}' if your system records it."))
            continue
        used.add(idx)
        if col in drop:  # agreed free text that is never stored: not even read into the database
            continue
        plan.source_index[col] = idx
        plan.heading[col] = src
    if missing_required:
        raise missing_columns_error([str(h) for h in headers], missing_required, "heading row", agreed=agreed)
    ignored = {norm_header(c) for c in (getattr(spec, "ignore_columns", ()) or ())}
    for i, h in enumerate(headers):
        h = str(h)
        if i in used or not h.strip() or norm_header(h) in ignored and not looks_personal(h, contract.forbidden):
            continue
        where = f"column {i + 1}"
        if looks_personal(h, contract.forbidden):
            plan.warnings.append((where, f"Column {i + 1} holds personal details (its heading suggests "
                                  f"{_personal_kind(h)}) and was removed; it was not stored.",
                                  "Remove this column from the export: the hubs programme must not receive it."))
        elif norm_header(h) not in ignored:
            plan.warnings.append((where, f"Column {i + 1} (heading: {shape(h)}) is not part of the agreed format "
                                  "and was not stored.", "No action needed if it is not wanted; otherwise ask the "
                                  "hub data team to add it to the borough mapping."))
    return plan


def require_unlandable(cond: bool, reason: str, fix: str) -> None:
    if cond:
        raise Unlandable(reason, fix)
