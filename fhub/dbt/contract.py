"""The publish contract, read from the dbt manifest: which work relations are published, and as what.

Declared once, in dbt (models/marts/_published_warehouse__exposures.yml and each public model's YAML):

* the exposure ``published_warehouse`` depends on every model that reaches the published file;
* each of those models is ``access: public`` and carries ``meta.publish``::

      publish:
        as: indicator_values      # the relation analysts query in published/warehouse.duckdb
        required: true            # the publish is refused when it is missing from the work file
        non_empty: true           # ... or when it is empty (optional, default false)
        description: ...          # the published table's comment
        withhold: {rule: ...}     # optional: how a withheld delivery scope blanks its rows (fhub/dq/withhold.py)

:func:`public_relations` reads ``manifest.json`` (written by every ``dbt parse`` / ``dbt build`` into the dbt
target folder, ``Paths.dbt_target``) and checks the three declarations agree. Publishing, the GX gate, the
withholding, the dbt-results severity and the docs all take the list from here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

EXPOSURE = "published_warehouse"
MANIFEST = "manifest.json"
#: Published tables written by the publish itself (Python), not by dbt models.
WRITTEN_AT_PUBLISH = ("dq_withholdings", "run_manifest", "privacy_audit", "published_history")


class ContractError(RuntimeError):
    """The manifest is missing, or its publish declarations disagree."""


@dataclass(frozen=True)
class PublicRelation:
    name: str  # name analysts query in the published file
    source: str  # schema.relation in the work file
    required: bool = False
    description: str = ""
    model: str = ""  # the dbt model behind it
    non_empty: bool = False
    withhold: Mapping = field(default_factory=dict, compare=False, hash=False)


def load_manifest(target_dir: Path) -> dict:
    path = Path(target_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContractError(
            f"{path} does not exist: the publish contract is read from the dbt manifest. Run `dbt parse` "
            "(or the nightly's dbt build) with this target folder first."
        ) from None


def _meta(node: Mapping) -> dict:
    return {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}


def _access(node: Mapping) -> str:
    return str(node.get("access") or (node.get("config") or {}).get("access") or "protected")


def public_relations_from_manifest(manifest: Mapping) -> tuple[PublicRelation, ...]:
    """The published relations, sorted by published name; :class:`ContractError` when declarations disagree."""
    nodes = manifest.get("nodes") or {}
    models = {uid: n for uid, n in nodes.items() if n.get("resource_type") == "model"}
    exposure = next(
        (e for e in (manifest.get("exposures") or {}).values() if e.get("name") == EXPOSURE), None
    )
    problems: list[str] = []
    if exposure is None:
        problems.append(f"the manifest has no exposure {EXPOSURE!r}")
        exposed: set[str] = set()
    else:
        exposed = {
            uid for uid in (exposure.get("depends_on") or {}).get("nodes") or [] if uid.startswith("model.")
        }
    public = {uid for uid, n in models.items() if _access(n) == "public"}
    declared = {uid for uid, n in models.items() if "publish" in _meta(n)}
    for uid in sorted(public - declared):
        problems.append(f"{models[uid]['name']} is access: public but has no meta.publish")
    for uid in sorted(declared - public):
        problems.append(f"{models[uid]['name']} has meta.publish but is not access: public")
    for uid in sorted((public | declared) - exposed):
        problems.append(f"{models[uid]['name']} is public but the exposure {EXPOSURE} does not depend on it")
    for uid in sorted(exposed - public):
        name = models[uid]["name"] if uid in models else uid
        problems.append(f"the exposure {EXPOSURE} depends on {name}, which is not access: public")
    relations: list[PublicRelation] = []
    for uid in sorted(public & declared):
        node = models[uid]
        publish = _meta(node)["publish"] or {}
        name = publish.get("as")
        if not name:
            problems.append(f"{node['name']}: meta.publish names no published relation (`as`)")
            continue
        relations.append(
            PublicRelation(
                name=str(name),
                source=f"{node['schema']}.{node.get('alias') or node['name']}",
                required=bool(publish.get("required", False)),
                description=str(publish.get("description") or ""),
                model=node["name"],
                non_empty=bool(publish.get("non_empty", False)),
                withhold=dict(publish.get("withhold") or {}),
            )
        )
    names = [r.name for r in relations]
    for name in sorted({n for n in names if names.count(n) > 1} | (set(names) & set(WRITTEN_AT_PUBLISH))):
        problems.append(f"the published name {name!r} is declared more than once")
    if problems:
        raise ContractError("The publish contract in the dbt project is inconsistent: " + "; ".join(problems))
    return tuple(sorted(relations, key=lambda r: r.name))


def public_relations(target_dir: Path) -> tuple[PublicRelation, ...]:
    """The published relations declared in the manifest of a dbt target folder (``Paths.dbt_target``)."""
    return public_relations_from_manifest(load_manifest(target_dir))


def by_name(relations: Iterable[PublicRelation]) -> dict[str, PublicRelation]:
    return {r.name: r for r in relations}


def source_of(relations: Iterable[PublicRelation], name: str) -> str:
    """The work relation (schema.relation) published as ``name``."""
    found = by_name(relations).get(name)
    if found is None:
        raise ContractError(f"No model is published as {name!r} (meta.publish.as in the dbt project).")
    return found.source


def public_model_names(manifest: Mapping) -> set[str]:
    """Names (and aliases) of the models declared ``access: public``, without validating the rest."""
    names: set[str] = set()
    for node in (manifest.get("nodes") or {}).values():
        if node.get("resource_type") == "model" and _access(node) == "public":
            names.update(filter(None, (node.get("name"), node.get("alias"))))
    return names
