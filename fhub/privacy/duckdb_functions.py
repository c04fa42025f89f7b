"""The identifier rules of :mod:`fhub.privacy.identifiers` as DuckDB functions, so set-based SQL (landing,
audits) uses the very same definition as Python code.

:func:`register` creates, on one connection:

* ``fhub_scrub(v)`` – :func:`~fhub.privacy.identifiers.scrub`'s text (identifier-like substrings tagged);
* ``fhub_identifier_kinds(v)`` – the kinds found, comma-separated (``'nhs_number,postcode'``), or null;
* ``fhub_shape(v)`` – :func:`~fhub.privacy.identifiers.shape`, the masked description of a value.

They are Python (Arrow) functions: call them behind :func:`may_hold_identifier_sql`, a cheap SQL pre-filter
(RE2) that is false for most values - ids, codes, dates, keyed hashes, names - so a scan of millions of rows
calls Python for a handful.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from duckdb.sqltypes import VARCHAR

from fhub.privacy.identifiers import KIND_NAMES, find_identifiers, scrub, shape


def _scrub(values: pa.Array) -> pa.Array:
    return pa.array([None if v is None else scrub(v)[0] for v in values.to_pylist()], pa.string())


def _kinds(values: pa.Array) -> pa.Array:
    out = []
    for v in values.to_pylist():
        kinds = sorted({f.kind for f in find_identifiers(v)}) if v is not None else []
        out.append(",".join(kinds) or None)
    return pa.array(out, pa.string())


def _shape(values: pa.Array) -> pa.Array:
    return pa.array([shape(v) for v in values.to_pylist()], pa.string())


FUNCTIONS = {"fhub_scrub": _scrub, "fhub_identifier_kinds": _kinds, "fhub_shape": _shape}


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Create the functions on ``con`` (idempotent)."""
    for name, fn in FUNCTIONS.items():
        try:
            con.remove_function(name)
        except (duckdb.InvalidInputException, duckdb.CatalogException):
            pass
        con.create_function(
            name, fn, [VARCHAR], VARCHAR, type="arrow", null_handling="special", side_effects=False
        )


#: Not a letter or digit (or the start / end of the value): every identifier kind starts and ends there.
_B, _E = "(?:^|[^0-9A-Za-z])", "(?:[^0-9A-Za-z]|$)"
#: A superset of every kind in :mod:`fhub.privacy.identifiers`, in RE2 (DuckDB's regex engine): true for every
#: value holding an identifier-like substring (tests/unit/test_audit.py checks that on generated text), false for
#: nearly everything else - ids, codes, dates, decimals, keyed hashes, names, most free text.
PRE_FILTER = "|".join((
    "@",  # e-mail
    "[^\\x00-\\x7F]",  # anything non-ASCII: NFKC may turn it into a digit, a space or a dash
    _B + "[0-9](?:[^0-9A-Za-z]{0,5}[0-9]){9}",  # 10+ digits, short separators between: NHS, phone, long number
    "[0-9][eE][+]?0?9" + _E,  # a 10-digit number in scientific notation
    _B + "[A-Za-z][0-9]{11}[0-9A-Za-z]" + _E,  # UPN
    _B + "[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]" + _E,  # NI number
    _B + "[A-Za-z][A-Za-z0-9]{1,3} *[0-9][A-Za-z]{2}" + _E,  # full postcode
))


def may_hold_identifier_sql(expr: str) -> str:
    """SQL that is true when ``expr`` could hold an identifier-like substring: call the Python functions only
    behind it. A superset (:data:`PRE_FILTER`), never the definition: :func:`fhub_identifier_kinds` decides."""
    return f"regexp_matches({expr}, '{PRE_FILTER}')"


#: The pre-filter's pattern (the name landing's SQL uses).
PREFILTER_RX = PRE_FILTER


def identifier_kinds_sql(expr: str) -> str:
    """SQL: the identifier kinds in ``expr`` (``'nhs_number,postcode'``), or null - through the pre-filter, so
    ordinary values cost one regular-expression test."""
    return f"case when {may_hold_identifier_sql(expr)} then fhub_identifier_kinds({expr}) end"


def kind_names_sql(kinds_expr: str, names: dict[str, str] | None = None) -> str:
    """SQL: plain-language names of the kinds in ``kinds_expr`` (a result of ``fhub_identifier_kinds``), e.g.
    ``an NHS number (10 digits) and a full postcode``, for message templates (the kinds are codes).
    ``names`` = :data:`~fhub.privacy.identifiers.TAGS` gives their tags instead."""
    parts = ", ".join(
        f"case when list_contains(string_split({kinds_expr}, ','), '{kind}') then '{name}' end"
        for kind, name in (names or KIND_NAMES).items()
    )
    return f"concat_ws(' and ', {parts})"
