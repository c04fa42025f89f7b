"""The nightly's dbt-docs task writes the self-contained docs page into the reports folder.

It used to call ``dbt docs --project-dir … generate`` (options before the subcommand), which dbt refuses
("No such option '--project-dir'"); the task reported FAILED and the flow carried on, so no docs were ever
written. This runs the task's own function (without the Prefect engine) on an empty work file.
"""

from __future__ import annotations

from fhub.settings import PROJECT_DIR, Paths
from flows.transform import dbt_docs


def test_dbt_docs_task_writes_the_static_docs_page(tmp_path):
    paths = Paths(project=PROJECT_DIR, data=tmp_path / "data").ensure()
    outcome = dbt_docs.fn(paths, "docs-test")
    assert outcome.success, outcome.failures
    page = paths.dbt_docs / "index.html"
    assert page.exists()
    html = page.read_text(encoding="utf-8")
    assert "fct_indicator_values" in html  # the manifest is embedded: the page works offline
