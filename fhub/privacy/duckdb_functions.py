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

from fhub.privacy.identifiers import find_identifiers, scrub, shape


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


def may_hold_identifier_sql(expr: str) -> str:
    """SQL that is true when ``expr`` could hold an identifier-like substring (a digit, ``@`` or any non-ASCII
    character, which NFKC may turn into a digit). False for most names and free text."""
    return f"regexp_matches({expr}, '[0-9@]|[^\\x00-\\x7F]')"
