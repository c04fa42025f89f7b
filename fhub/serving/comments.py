"""Table and column comments for the served relations, from the dbt docs (``target/manifest.json``).

Analysts browsing the database in psql (``\\d+``), DBeaver or Power BI see the same descriptions as the dbt
docs page. A public name maps to its work relation (model or source) through :mod:`fhub.serving.relations`;
relations the publish step writes itself, or a missing manifest, fall back to the declared description.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from fhub.serving.relations import ServableRelations


@dataclass
class Comment:
    table: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class DbtDescriptions:
    """``schema.relation`` (as built in the work file) -> its description and column descriptions."""

    by_relation: dict[str, Comment] = field(default_factory=dict)

    def for_public(self, name: str, servable: ServableRelations) -> Comment:
        work = servable.work_relation_of(name)
        found = self.by_relation.get(work or "")
        if found and found.table:
            return found
        return Comment(table=servable.description(name), columns=found.columns if found else {})

    def for_work(self, relation: str) -> Comment:
        return self.by_relation.get(relation, Comment())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def read_dbt_descriptions(manifest: Path) -> DbtDescriptions:
    """Descriptions of every model, seed, snapshot and source in the manifest; empty when it is missing."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return DbtDescriptions()
    found: dict[str, Comment] = {}
    entries = [*(data.get("nodes") or {}).values(), *(data.get("sources") or {}).values()]
    for node in entries:
        if node.get("resource_type") not in ("model", "seed", "snapshot", "source"):
            continue
        name = node.get("identifier") or node.get("alias") or node.get("name")
        if not node.get("schema") or not name:
            continue
        columns = {
            col_name: _clean(col.get("description"))
            for col_name, col in (node.get("columns") or {}).items()
            if _clean(col.get("description"))
        }
        found[f"{node['schema']}.{name}"] = Comment(table=_clean(node.get("description")), columns=columns)
    return DbtDescriptions(found)
