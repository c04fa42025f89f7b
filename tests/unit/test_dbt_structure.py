"""The dbt project reads top-down (dbt Labs' structure guide; dbt-project-evaluator's rules as a checklist).

Checked on the manifest of a ``dbt parse`` of this project: a model added in the wrong folder, with the wrong
prefix, reading up a layer, without a uniqueness test or without its own YAML fails here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from fhub.dbt.contract import load_manifest

UNIQUENESS_TESTS = {"unique", "unique_combination_of_columns", "one_row_per_pair"}
EXTRACT_STAGING = {
    "stg_hubs__register": "int_hub_registrations_deduplicated",
    "stg_hubs__contacts": "int_hub_contacts_deduplicated",
    "stg_hubs__referrals": "int_referrals_deduplicated",
    "stg_hubs__assessments": "int_assessments_deduplicated",
    "stg_hubs__eyfsp_results": "int_eyfsp_results_deduplicated",
}


@pytest.fixture(scope="module")
def manifest(dbt_target):
    return load_manifest(dbt_target)


@pytest.fixture(scope="module")
def models(manifest):
    return {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}


def _layer(node) -> str:
    parts = PurePosixPath(node["original_file_path"]).parts
    if parts[1] == "marts":
        return "mart_intermediate" if "intermediate" in parts else "mart"
    return parts[1]  # staging | intermediate


def test_every_model_is_in_its_layer_folder_with_its_prefix(models):
    prefixes = {
        "staging": r"stg_[a-z]+__",
        "intermediate": r"int_",
        "mart_intermediate": r"int_",
        "mart": r"(fct|dim)_",
    }
    wrong = [n["original_file_path"] for n in models.values() if not re.match(prefixes[_layer(n)], n["name"])]
    assert wrong == []
    # staging models live in the folder of their source: models/staging/<source>/stg_<source>__<entity>
    misplaced = [
        n["original_file_path"]
        for n in models.values()
        if _layer(n) == "staging"
        and PurePosixPath(n["original_file_path"]).parts[2] != n["name"].removeprefix("stg_").split("__")[0]
    ]
    assert misplaced == []


def test_nothing_reads_up_a_layer(models):
    """Staging reads sources only; models/intermediate never reads a mart (a mart's own intermediate steps
    live in models/marts/<area>/intermediate/); no mart reads a source."""
    problems = []
    for node in models.values():
        layer = _layer(node)
        for dep in node["depends_on"]["nodes"]:
            kind = dep.split(".")[0]
            upstream = models.get(dep)
            if layer == "staging" and kind != "source":
                problems.append(f"{node['name']} (staging) reads {dep}")
            if layer in ("intermediate", "mart", "mart_intermediate") and kind == "source":
                problems.append(f"{node['name']} reads source {dep}")
            if layer == "intermediate" and upstream and _layer(upstream) in ("mart", "mart_intermediate"):
                problems.append(f"{node['name']} (intermediate) reads {upstream['name']}")
    assert problems == []


def test_every_model_and_seed_has_a_uniqueness_test(manifest):
    tested = {
        n.get("attached_node")
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and (n.get("test_metadata") or {}).get("name") in UNIQUENESS_TESTS
    }
    untested = sorted(
        n["name"]
        for uid, n in manifest["nodes"].items()
        if n["resource_type"] in ("model", "seed") and uid not in tested
    )
    assert untested == []


def test_one_yaml_per_model_beside_it_with_its_grain(models):
    problems = []
    for node in models.values():
        sql = PurePosixPath(node["original_file_path"])
        patch = (node.get("patch_path") or "").split("://", 1)[-1]
        if patch != str(sql.with_suffix(".yml")):
            problems.append(f"{node['name']}: documented in {patch or 'no YAML'}")
        if "one row per" not in (node.get("description") or "").lower():
            problems.append(f"{node['name']}: description does not give the grain ('one row per ...')")
    assert problems == []


def test_the_five_extracts_are_deduplicated_in_one_layer_by_one_macro(models):
    by_name = {n["name"]: n for n in models.values()}
    using_macro = {
        n["name"]
        for n in models.values()
        if "macro.family_hubs.latest_landed_rows" in n["depends_on"]["macros"]
    }
    assert using_macro == set(EXTRACT_STAGING.values())
    for model in using_macro:
        node = by_name[model]
        assert node["original_file_path"].startswith("models/intermediate/")
        assert node["config"]["materialized"] == "incremental"
    # each extract's staging rows are read by its de-duplicating model only
    readers = {
        stg: sorted(
            n["name"] for n in models.values() if f"model.family_hubs.{stg}" in n["depends_on"]["nodes"]
        )
        for stg in EXTRACT_STAGING
    }
    assert readers == {stg: [dedup] for stg, dedup in EXTRACT_STAGING.items()}
