"""What a privacy scan reports: a :class:`Finding` - where (artefact + location), what kind of identifier, its
masked shape, how many, and the borough x extract x period it came from when that is known. Never the value.

:func:`findings_in_text` is the one place text becomes findings (every scanner calls it), built on
:func:`fhub.privacy.identifiers.find_identifiers` - the single definition of identifier-like substrings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from fhub.privacy.duckdb_functions import PRE_FILTER
from fhub.privacy.identifiers import KIND_NAMES, find_identifiers, normalise_text, shape

#: The SQL pre-filter, compiled for Python (the same RE2-compatible text): skip text that cannot hold any kind.
_MAY_HOLD = re.compile(PRE_FILTER)


@dataclass(frozen=True)
class Scope:
    """The delivery scope a finding came from (any part may be unknown)."""

    borough_code: str | None = None
    extract_type: str | None = None
    period: str | None = None

    @property
    def attributed(self) -> bool:
        """Known down to borough and extract: enough to withhold a scope. A finding known only by its borough
        (e.g. in a file whose name matched no agreed pattern) never withholds the whole borough."""
        return bool(self.borough_code and self.extract_type)

    def label(self) -> str:
        return f"{self.borough_code or 'unknown borough'} {self.extract_type or 'all extracts'} " \
               f"{self.period or 'all periods'}"


@dataclass(frozen=True)
class Finding:
    artefact: str  # a file (relative to the data folder) or a database ("published file", "work file")
    location: str  # "schema.table.column", "line 12", "attribute title of <td>, line 40", ...
    kind: str  # a key of fhub.privacy.identifiers.TAGS
    shape: str  # masked shape of the identifier-like substring, e.g. "NNN NNN NNNN"
    count: int = 1
    scope: Scope | None = None

    def describe(self) -> str:
        """A plain, value-free sentence (safe for logs, manifests and DQ messages)."""
        times = f" ({self.count} times)" if self.count > 1 else ""
        where = f" [{self.scope.label()}]" if self.scope and self.scope.attributed else ""
        return f"{self.artefact}: {self.location}: {KIND_NAMES[self.kind]}, shape {self.shape}{times}{where}"


def may_hold_identifier(text: str | None) -> bool:
    """Cheap test (the pre-filter): False means the text certainly holds no identifier-like substring."""
    return bool(text) and _MAY_HOLD.search(text) is not None


def kinds_and_shapes(text: str | None) -> list[tuple[str, str]]:
    """(kind, masked shape of the matched substring) for every identifier-like substring of ``text``."""
    if not may_hold_identifier(text):
        return []
    norm = normalise_text(text)
    return [(f.kind, shape(norm[f.start:f.end])) for f in find_identifiers(norm, normalised=True)]


def findings_in_text(text: str | None, artefact: str, location: str, *, count: int = 1,
                     scope: Scope | None = None) -> list[Finding]:
    return [Finding(artefact, location, kind, masked, count, scope) for kind, masked in kinds_and_shapes(text)]


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (artefact, location, kind, shape, scope), counts added up, in a stable order."""
    totals: Counter = Counter()
    for f in findings:
        totals[(f.artefact, f.location, f.kind, f.shape, f.scope)] += f.count
    return [Finding(a, loc, k, s, n, sc) for (a, loc, k, s, sc), n in
            sorted(totals.items(), key=lambda item: repr(item[0]))]
