"""A nightly run id must not make dbt re-parse the whole project (issue 7: fixed costs of a night).

The run id used to be a ``--vars`` value; any change of ``--vars`` makes dbt throw its partial-parse state
away and parse all ~330 files again (~7-30 s a night). Then it was ``env_var('FHUB_RUN_ID')`` (the process
environment, re-parsing the files that read it). Now it is data: one row of ``run.run_context`` in the work file
(fhub/dbt/run_context.py), read by the macro ``fhub_run_id()``; a new run id changes nothing dbt parses.
"""

from __future__ import annotations

import json

from fhub.dbt.runner import run_dbt
from fhub.settings import PROJECT_DIR, Paths


def _perf(paths: Paths) -> dict:
    return json.loads((paths.dbt_target / "perf_info.json").read_text())


def test_a_new_run_id_reparses_nothing(tmp_path):
    paths = Paths(project=PROJECT_DIR, data=tmp_path / "data")
    assert run_dbt(paths, "parse", run_id="night-1").success
    first = _perf(paths)
    assert first["parsed_path_count"] == first["path_count"]  # nothing to reuse on the first parse

    assert run_dbt(paths, "parse", run_id="night-2").success
    second = _perf(paths)
    assert second["is_partial_parse_enabled"]
    assert second["parsed_path_count"] < first["path_count"] / 10, second

    manifest = json.loads((paths.dbt_target / "manifest.json").read_text())
    readers = [n for n in manifest["nodes"].values() if "fhub_run_id()" in n.get("raw_code", "")]
    assert readers, "the marts stamp rows with the run id"
    assert all("model.family_hubs.stg_run__run_context" in n["depends_on"]["nodes"] for n in readers)
    for node in manifest["nodes"].values():
        code = node.get("raw_code", "")
        assert 'var("run_id"' not in code and "FHUB_RUN_ID" not in code, node["unique_id"]
