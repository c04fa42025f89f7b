"""The publish contract is declared once, in dbt, and read from the manifest (fhub/dbt/contract.py)."""

from __future__ import annotations

import copy
import re

import pytest

from fhub.dbt.contract import (
    EXPOSURE,
    ContractError,
    load_manifest,
    public_model_names,
    public_relations,
    public_relations_from_manifest,
    source_of,
)

#: What analysts find in the published file (README, docs/ask-the-mart.md): changing it is a deliberate act.
PUBLISHED = {
    "indicator_values": "fct_indicator_values",
    "gld_target_tracker": "fct_gld_target_tracker",
    "hub_contribution": "fct_hub_contribution",
    "peer_comparisons": "fct_peer_comparisons",
    "data_availability": "fct_data_availability",
    "framework_domains": "dim_framework_domains",
    "framework_layers": "dim_framework_layers",
    "framework_outcomes": "dim_framework_outcomes",
    "framework_indicators": "dim_framework_indicators",
    "framework_metrics": "dim_framework_metrics",
    "framework_glossary": "dim_framework_glossary",
    "framework_crosswalk": "dim_framework_crosswalk",
    "dq_scorecard": "fct_dq_scorecard",
    "dq_check_results": "fct_dq_check_results",
    "dq_revisions": "fct_dq_revisions",
    "boroughs": "dim_boroughs",
    "hubs": "dim_hubs",
    "periods": "dim_periods",
    "deliveries": "fct_deliveries",
}
OPTIONAL = {"hub_contribution", "peer_comparisons", "dq_scorecard", "dq_check_results", "dq_revisions"}


@pytest.fixture(scope="module")
def manifest(dbt_target):
    return load_manifest(dbt_target)


def test_the_project_declares_the_published_relations(dbt_target):
    relations = public_relations(dbt_target)
    assert {r.name: r.model for r in relations} == PUBLISHED
    assert {r.name for r in relations if not r.required} == OPTIONAL
    assert {r.name for r in relations if r.non_empty} == {"indicator_values", "boroughs"}
    assert all(r.description and r.source == f"marts.{r.model}" for r in relations)
    assert source_of(relations, "indicator_values") == "marts.fct_indicator_values"
    with pytest.raises(ContractError, match="No model is published as 'nope'"):
        source_of(relations, "nope")


def test_public_models_are_contracted_tables_whose_withheld_columns_exist(manifest):
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["name"] not in PUBLISHED.values():
            continue
        assert node["config"]["materialized"] == "table", node["name"]
        assert node["config"]["contract"]["enforced"], node["name"]
        withhold = node["config"]["meta"]["publish"].get("withhold") or {}
        named = {withhold.get(k) for k in ("geography", "year", "national_source_column", "members_column")} - {None}
        named |= set(withhold.get("nulled", ())) | set(withhold.get("series_columns", ()))
        named |= set(withhold.get("benchmark_columns", ()))
        assert named <= set(node["columns"]), (node["name"], named - set(node["columns"]))


def _model(manifest, name):
    return next(
        n for n in manifest["nodes"].values() if n.get("name") == name and n["resource_type"] == "model"
    )


def test_disagreeing_declarations_are_refused(manifest):
    broken = copy.deepcopy(manifest)
    hubs = _model(broken, "dim_hubs")
    del hubs["config"]["meta"]["publish"]
    hubs.get("meta", {}).pop("publish", None)
    with pytest.raises(ContractError, match="dim_hubs is access: public but has no meta.publish"):
        public_relations_from_manifest(broken)

    broken = copy.deepcopy(manifest)
    _model(broken, "fct_hub_contribution")["access"] = "protected"
    _model(broken, "fct_hub_contribution")["config"]["access"] = "protected"
    with pytest.raises(
        ContractError, match="fct_hub_contribution has meta.publish but is not access: public"
    ):
        public_relations_from_manifest(broken)

    broken = copy.deepcopy(manifest)
    exposure = next(e for e in broken["exposures"].values() if e["name"] == EXPOSURE)
    exposure["depends_on"]["nodes"].remove(_model(broken, "dim_periods")["unique_id"])
    with pytest.raises(ContractError, match="exposure published_warehouse does not depend on it"):
        public_relations_from_manifest(broken)

    broken = copy.deepcopy(manifest)
    for meta in (_model(broken, "dim_hubs")["config"]["meta"], _model(broken, "dim_hubs").get("meta") or {}):
        if "publish" in meta:
            meta["publish"]["as"] = "boroughs"
    with pytest.raises(ContractError, match="'boroughs' is declared more than once"):
        public_relations_from_manifest(broken)

    broken = copy.deepcopy(manifest)
    broken["exposures"] = {}
    with pytest.raises(ContractError, match="no exposure 'published_warehouse'"):
        public_relations_from_manifest(broken)


def test_a_missing_manifest_says_what_to_do(tmp_path):
    with pytest.raises(ContractError, match="Run `dbt parse`"):
        public_relations(tmp_path)


def test_public_model_names_for_dbt_result_severity(manifest):
    assert public_model_names(manifest) == set(PUBLISHED.values())


def test_the_withholding_plan_comes_from_the_contract(dbt_target):
    from dataclasses import replace

    from fhub.dq import withholding_plan

    relations = public_relations(dbt_target)
    plan = withholding_plan(relations)
    assert (plan.table, plan.metrics_table, plan.hubs_table, plan.boroughs_table) == (
        "main.indicator_values",
        "main.framework_metrics",
        "main.hubs",
        "main.boroughs",
    )
    by_table = {t.table: t for t in plan.year_tables}
    assert set(by_table) == {"main.gld_target_tracker", "main.hub_contribution", "main.peer_comparisons"}
    assert by_table["main.gld_target_tracker"].source_column == "series"
    assert by_table["main.peer_comparisons"].members_column == "benchmark_members"
    assert by_table["main.hub_contribution"].extracts == frozenset({"eyfsp", "register", "contacts"})
    without_rule = tuple(replace(r, withhold={}) if r.name == "indicator_values" else r for r in relations)
    with pytest.raises(ValueError, match="exactly one relation with withhold rule by_metric"):
        withholding_plan(without_rule)


def test_the_architecture_page_lists_what_the_contract_publishes(dbt_target):
    from pathlib import Path

    from fhub.dbt.contract import WRITTEN_AT_PUBLISH

    page = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## Public relations (the published file)", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", section))
    published = {r.name for r in public_relations(dbt_target)} | set(WRITTEN_AT_PUBLISH)
    assert published <= named, f"docs/architecture.md does not name {sorted(published - named)}"
