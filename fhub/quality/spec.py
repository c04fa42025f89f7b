"""Plain data classes describing GX suites, so suites in ``expectations/`` stay declarative code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Check:
    """One expectation: ``kind`` is a GX expectation class name, e.g. ``ExpectColumnValuesToBeBetween``."""

    kind: str
    kwargs: dict
    dimension: str
    severity: str = "blocking_all"  # blocking_all | withhold_scope | warn
    message: str = ""
    fix: str = ""
    scope: dict = field(
        default_factory=dict
    )  # {"borough_code": col, "extract_type": col|literal, "period": col}


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    #: SQL over the work file (tables referenced as schema.table). Run once per night; GX validates its result
    #: (a table of the same name in work/gx_inputs.duckdb, see fhub.quality.gx_runner).
    query: str
    checks: tuple[Check, ...]
    #: Result columns identifying failing rows in the DQ report (row keys, never raw identifiers).
    index_columns: tuple[str, ...] = ()
    #: Relations that must exist in the work file for the suite to run (else it is reported as skipped).
    requires: tuple[str, ...] = ()
    #: The published relation the suite validates (a name of the publish contract, e.g. ``indicator_values``):
    #: ``{relation}`` in the query stands for the work relation published under that name (:meth:`bind`).
    public_relation: str = ""

    def bind(self, sources: Mapping[str, str]) -> SuiteSpec:
        """The suite over the work relation published as :attr:`public_relation` (``sources``: published name
        -> schema.relation, from :func:`fhub.dbt.contract.public_relations`)."""
        if not self.public_relation:
            return self
        if self.public_relation not in sources:
            raise KeyError(
                f"Suite {self.name} validates {self.public_relation!r}, which the publish contract does not declare."
            )
        source = sources[self.public_relation]
        return replace(
            self,
            query=self.query.replace("{relation}", source),
            requires=(*self.requires, source),
            public_relation="",
        )
