"""dbt docs: generate a single self-contained page (``dbt docs generate --static``) into the reports folder."""

from __future__ import annotations

import os
import shutil

from fhub.settings import Paths


def publish_dbt_docs(paths: Paths) -> str | None:
    target = paths.dbt_target
    static = target / "static_index.html"
    source = static if static.exists() else target / "index.html"
    if not source.exists():
        return None
    paths.dbt_docs.mkdir(parents=True, exist_ok=True)
    tmp = paths.dbt_docs / ".index.html.tmp"
    shutil.copyfile(source, tmp)
    os.replace(tmp, paths.dbt_docs / "index.html")
    if source == target / "index.html":
        for name in ("manifest.json", "catalog.json"):
            if (target / name).exists():
                shutil.copyfile(target / name, paths.dbt_docs / name)
    return str(paths.dbt_docs / "index.html")
