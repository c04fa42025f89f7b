"""The parts a message may show about what a borough sent (issue 13: messages are templates, never quotes).

Every reason, warning, fix and data-quality message that can leave the work file is a fixed text whose variable
parts are only: agreed column names (from the borough's mapping or the landing contract), row and line
numbers, counts, codes from the agreed code lists, periods and delivery labels built from the agreed file-name
pattern, and the masked :func:`~fhub.privacy.identifiers.shape` of a value. This module builds the few
descriptions that need more than one of those:

* :func:`describe_headings` – a heading row described by column position: agreed headings by their agreed
  name, anything else by its shape (when the heading row is missing, the "headings" are a child's record);
* :func:`masked_file_name` – a delivered file name that is not the agreed pattern, as a shape;
* :func:`error_kind` – the kind of a database / reader error (``Conversion Error``), never its text, which can
  quote a value.

``tests/unit/test_message_templates.py`` checks that the message-building code of landing, data quality,
the run summary and the flows interpolates only values of these kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fhub.privacy.identifiers import shape

#: File extensions a message may name (anything else is described as "another extension").
KNOWN_EXTENSIONS = (".csv", ".txt", ".xlsx", ".xls", ".xlsm", ".tsv", ".zip", ".json", ".xml", ".pdf")

#: Error kinds as DuckDB, dbt and the readers name them: codes, safe to show. The error *text* never is.
_ERROR_KINDS = (
    "Binder Error", "Catalog Error", "Compilation Error", "Constraint Error", "Conversion Error",
    "Database Error", "Dependency Error", "IO Error", "Internal Error", "Invalid Input Error",
    "Not implemented Error", "Out of Memory Error", "Out of Range Error", "Parser Error", "Permission Error",
    "Runtime Error", "Serialization Error", "Syntax Error", "Transaction Error", "Type Error",
    "Unique Constraint Error",
)
_ERROR_RX = re.compile("|".join(re.escape(k) for k in sorted(_ERROR_KINDS, key=len, reverse=True)), re.I)


def norm_heading(text: object) -> str:
    """Heading text compared loosely: lower-case ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def agreed_name(heading: object, agreed: Iterable[str]) -> str | None:
    """The agreed heading that ``heading`` normalises to exactly (same letters and digits, any spacing or
    capitals), else None. Only then may a message name the heading - by its agreed name."""
    n = norm_heading(heading)
    if not n:
        return None
    for name in agreed:
        if norm_heading(name) == n:
            return name
    return None


def describe_heading(heading: object, agreed: Iterable[str]) -> str:
    """One heading cell: its agreed name, ``blank``, or ``not agreed: <shape>``."""
    name = agreed_name(heading, agreed)
    if name is not None:
        return f"'{name}'"
    if not str(heading or "").strip():
        return "blank"
    return f"not agreed: {shape(heading)}"


def describe_headings(headers: list[object], agreed: Iterable[str], limit: int = 15) -> str:
    """``column 1 'ContactRef', column 2 'ClientID', column 3 (not agreed: text of 9 characters), …``"""
    agreed = list(agreed)
    parts = []
    for i, h in enumerate(headers[:limit], start=1):
        desc = describe_heading(h, agreed)
        parts.append(f"column {i} {desc}" if desc.startswith("'") else f"column {i} ({desc})")
    more = len(headers) - limit
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def masked_file_name(name: str) -> str:
    """A file name that does not follow the agreed pattern, masked: its shape and, if it is a common one, its
    extension (``'10 digits' + .csv``). Never a character of the name itself."""
    stem, dot, ext = str(name).rpartition(".")
    if not dot or not stem:
        stem, ext = str(name), ""
    extension = "." + ext.lower() if ext else ""
    if extension in KNOWN_EXTENSIONS:
        tail = f" + {extension}"
    else:
        tail = " + another extension" if extension else ""
    return f"a name of {shape(stem)}{tail}"


def error_kind(text: object) -> str | None:
    """The kind of error named in an error message (``Conversion Error``), or None: the message itself can quote
    a value and is never shown."""
    m = _ERROR_RX.search(str(text or ""))
    if not m:
        return None
    found = m.group(0).lower()
    return next(k for k in _ERROR_KINDS if k.lower() == found)


#: dbt's own message for a failing data test: counts only (``Got 3 results, configured to fail if != 0``).
_DBT_TEST_MESSAGE = re.compile(r"Got [0-9]+ results?, configured to (fail|warn) if [!=<>]+ ?[0-9]+")


def safe_dbt_message(text: object) -> str:
    """What may be shown of a dbt failure message: dbt's count sentence for a failing test, else the kind of
    error (a database error can quote a value: its text stays in dbt's log in the work folder)."""
    m = _DBT_TEST_MESSAGE.search(str(text or ""))
    if m:
        return m.group(0)
    kind = error_kind(text)
    return f"{kind or 'an error'} (the error text is in the dbt log, not repeated here)"
