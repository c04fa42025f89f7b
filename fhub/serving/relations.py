"""Which relations of the published file may be served, and where each came from in the work file.

The publish contract (declared in dbt, read from the manifest by ``fhub.dbt.contract``) is imported in this
one place; the rest of ``fhub.serving`` asks :func:`servable_relations`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fhub.dbt.contract import WRITTEN_AT_PUBLISH, PublicRelation, public_relations

#: What the tables the publish step writes itself (not copied from a model) hold, for their comments.
_WRITTEN_BY_PUBLISH_DESCRIPTIONS: dict[str, str] = {
    "run_manifest": "The run that produced this mart: run id and its manifest (JSON) - files, hashes, counts, checks.",
    "dq_withholdings": "One row per borough x extract x period whose values were withheld tonight, and why.",
    "published_history": "One row per figure per performance cycle: the figure as the last publish within the "
    "cycle showed it (fhub/release/history.py).",
    "privacy_audit": "What the publish audit redacted tonight: location, kind and masked shape of each identifier-like "
    "text found, its scope and the action taken; never a value.",
}


@dataclass(frozen=True)
class ServableRelations:
    """The published relations of the contract, plus the tables the publish step writes itself."""

    declared: tuple[PublicRelation, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.declared) + tuple(WRITTEN_AT_PUBLISH)

    def work_relation_of(self, name: str) -> str | None:
        """``schema.relation`` in the work file (dbt model) behind a public name, if declared."""
        return next((r.source for r in self.declared if r.name == name), None)

    def description(self, name: str) -> str:
        declared = next((r.description for r in self.declared if r.name == name), "")
        return declared or _WRITTEN_BY_PUBLISH_DESCRIPTIONS.get(name, "")


def servable_relations(dbt_target: Path) -> ServableRelations:
    """From the manifest in the dbt target folder (``Paths.dbt_target``); ``ContractError`` if it is missing."""
    return ServableRelations(public_relations(dbt_target))
