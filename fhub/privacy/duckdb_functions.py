"""The identifier rules of :mod:`fhub.privacy.identifiers` as DuckDB functions, so set-based SQL (landing,
audits) uses the very same definition as Python code.

:func:`register` creates, on one connection:

* ``fhub_scrub(v)`` – :func:`~fhub.privacy.identifiers.scrub`'s text (identifier-like substrings tagged);
* ``fhub_identifier_kinds(v)`` – the kinds found, comma-separated (``'nhs_number,postcode'``), or null;
* ``fhub_shape(v)`` – :func:`~fhub.privacy.identifiers.shape`, the masked description of a value.

They are Python (Arrow) functions: call them behind :func:`may_hold_identifier_sql`, a cheap SQL pre-filter
that is false for most values (no digit, no ``@``, ASCII only cannot hold any identifier kind).
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


#: A necessary condition for any identifier kind of :mod:`fhub.privacy.identifiers` (checked against its
#: examples and generated text in tests/unit/test_identifiers.py): an ``@``; any non-ASCII character (NFKC may
#: turn it into a digit, a space or an ``@``); ten digits (NHS, phone, long numbers, UPNs); a digit then ``e9``
#: (a 10-digit number in scientific notation); the NI number shape; a letter + digit followed by a postcode's
#: inward code (every outward code holds a letter then a digit); GIR 0AA. Most values - names, codes, ids such
#: as ``C000012345`` - match none of these, so the Python functions never see them.
PREFILTER_RX = (
    r"@|[^\x00-\x7F]|(?:[0-9][^0-9]*){10}|[0-9][eE]\+?0?9"
    r"|[A-Za-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]"
    r"|[A-Za-z][0-9][0-9A-Za-z]? *[0-9][A-Za-z]{2}|(?i:gir ?0aa)"
)


def may_hold_identifier_sql(expr: str) -> str:
    """SQL that is true when ``expr`` could hold an identifier-like substring (:data:`PREFILTER_RX`). False
    for most names, codes and free text."""
    return f"regexp_matches({expr}, '{PREFILTER_RX}')"


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
