"""Map delivered headings onto the landing contract (which source column feeds which contract column) and
classify unmapped headings (ignored / unknown / personal data that must not land)."""

from __future__ import annotations

import difflib
import re
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


#: Control characters (NUL and the like; tab, line feed and carriage return are handled as spacing).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_heading(text: object) -> str:
    """A heading with control characters removed and surrounding spaces trimmed (for comparing)."""
    return CONTROL_CHARS.sub("", str(text)).strip()


def _folded(text: str) -> str:
    """Looser than :func:`norm_header`: '&' and '+' read as 'and' ("Listening & attention")."""
    return norm_header(re.sub(r"\s*[&+]\s*", " and ", text))


def near_miss(agreed: str, candidates: dict[int, str]) -> int | None:
    """The column (0-based) whose heading looks like a re-typed ``agreed`` heading: the same words once '&'
    is read as 'and', or very similar letters. None if nothing is close."""
    want = _folded(agreed)
    best, best_ratio = None, 0.0
    for i, h in candidates.items():
        got = _folded(h)
        if not got:
            continue
        ratio = 1.0 if got == want else difflib.SequenceMatcher(None, want, got).ratio()
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    return best if best_ratio >= 0.85 else None


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
    it is one (exactly or with other spacing/capitals), otherwise by its position and shape. Each delivered
    column gets at most one warning: a repeated heading is reported once (the later columns are neither
    "unknown" nor used), a near-miss of an optional heading once (not also as an unknown column)."""
    contract = spec.contract
    plan = ColumnPlan()
    agreed = agreed_headings(spec)
    cleaned = [clean_heading(h) for h in headers]
    controls = [i for i, h in enumerate(headers) if CONTROL_CHARS.search(str(h))]
    if controls:
        plan.warnings.append((None, f"{len(controls)} column heading(s) (column "
                              f"{', '.join(str(i + 1) for i in controls[:10])}) contained control characters "
                              "(such as a NUL byte); they were removed before the headings were compared.",
                              "Re-export the file from your system; headings should be plain text."))
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    repeats: dict[int, list[int]] = {}  # first column → later columns with the same heading
    for i, h in enumerate(cleaned):
        if not h:
            continue
        if h in exact:
            repeats.setdefault(exact[h], []).append(i)
            continue
        exact[h] = i
        loose.setdefault(norm_header(h), i)
    used: set[int] = set()
    missing_required: list[str] = []
    missing_optional: dict[str, str] = {}
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
                missing_optional[col] = src
            continue
        used.add(idx)
        if col in drop:  # agreed free text that is never stored: not even read into the database
            continue
        plan.source_index[col] = idx
        plan.heading[col] = src
    if missing_required:
        raise missing_columns_error(cleaned, missing_required, "heading row", agreed=agreed)
    repeated = {j for later in repeats.values() for j in later}
    for first, later in repeats.items():
        cols = ", ".join(str(j + 1) for j in later)
        name = agreed_name(cleaned[first], agreed)
        what = f"the same heading ('{name}')" if name else f"the same heading ({shape(cleaned[first])})"
        plan.warnings.append((name or f"column {first + 1}", f"Column {first + 1} and column {cols} have {what}; "
                              f"only column {first + 1} (the first from the left) was read, column {cols} was not "
                              "stored.", "Give every column a distinct heading, or remove the repeated column."))
    ignored = {norm_header(c) for c in (getattr(spec, "ignore_columns", ()) or ())}
    spare = {i: h for i, h in enumerate(cleaned) if i not in used and i not in repeated and h
             and norm_header(h) not in ignored and not looks_personal(h, contract.forbidden)}
    near: set[int] = set()
    for col, src in missing_optional.items():
        hit = near_miss(src, {i: h for i, h in spare.items() if i not in near})
        if hit is None:
            plan.warnings.append((src, f"The optional column '{src}' is not in the file, so {col} is left "
                                  "empty for every row.", f"Add the column '{src}' if your system records it."))
            continue
        near.add(hit)
        plan.warnings.append((src, f"The optional column '{src}' was not found, but column {hit + 1} has a "
                              f"similar heading ({shape(cleaned[hit])}); it may be the same column with its "
                              f"heading re-typed. It was not read, so {col} is left empty for every row.",
                              f"Use the exact heading '{src}' (or ask the hub data team to add the new spelling "
                              "to the borough mapping)."))
    for i, h in enumerate(cleaned):
        if i in used or i in repeated or i in near or not h or (
                norm_header(h) in ignored and not looks_personal(h, contract.forbidden)):
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
