"""Which relations of the published file may be served, and where each came from in the work file.

The declaration of public relations is imported in this one place: when it moves (into the dbt manifest,
read by ``fhub.dbt.contract``), only the import below changes.
"""

from __future__ import annotations

from fhub.publish import PUBLIC_RELATIONS as _DECLARED

#: Tables the publish step writes into the public file itself (not copied from a model).
WRITTEN_BY_PUBLISH: dict[str, str] = {
    "run_manifest": "The run that produced this mart: run id and its manifest (JSON) - files, hashes, counts, checks.",
    "dq_withholdings": "One row per borough x extract x period whose values were withheld tonight, and why.",
}


def servable_names() -> tuple[str, ...]:
    """Every public name that may be served: the declared public relations plus what publish writes."""
    return tuple(r.name for r in _DECLARED) + tuple(WRITTEN_BY_PUBLISH)


def work_relation_of(name: str) -> str | None:
    """``schema.relation`` in the work file (dbt model or source) behind a public name, if declared."""
    return next((r.source for r in _DECLARED if r.name == name), None)


def declared_description(name: str) -> str:
    declared = next((r.description for r in _DECLARED if r.name == name), "")
    return declared or WRITTEN_BY_PUBLISH.get(name, "")
