"""The nightly's dbt-docs task writes the self-contained docs page into the reports folder.

It used to call ``dbt docs --project-dir … generate`` (options before the subcommand), which dbt refuses
("No such option '--project-dir'"); the task reported FAILED and the flow carried on, so no docs were ever
written. This runs the task's library function (fhub.dbt.builds.generate_docs) on an empty work file.
"""

from __future__ import annotations

from fhub.dbt.builds import generate_docs as dbt_docs
from fhub.settings import PROJECT_DIR, Paths


def test_docs_page_written_and_regenerated_only_when_the_project_changed(tmp_path):
    """The task writes the self-contained page. An ordinary night changes data, not the project: the page is kept. A changed description (any change
    to what the page shows) regenerates it."""
    import json
    import os

    paths = Paths(project=PROJECT_DIR, data=tmp_path / "data").ensure()
    outcome = dbt_docs(paths, "docs-1")
    assert outcome.success, outcome.failures
    page = paths.dbt_docs / "index.html"
    assert "fct_indicator_values" in page.read_text(encoding="utf-8")  # manifest embedded: works offline
    os.utime(page, (1, 1))
    assert dbt_docs(paths, "docs-2").success
    assert page.stat().st_mtime == 1  # kept: nothing the page shows changed

    manifest_path = paths.dbt_target / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["nodes"]["model.family_hubs.fct_indicator_values"]["description"] += " (changed)"
    manifest["nodes"]["model.family_hubs.fct_indicator_values"]["created_at"] = 0  # per-parse noise is ignored
    manifest_path.write_text(json.dumps(manifest))
    assert dbt_docs(paths, "docs-3").success
    assert page.stat().st_mtime > 1  # regenerated
