"""Vintages you can query (issue 16, points 6 and 7), end to end on the demo: the manifest names every input
file by hash, revisions are published the night they happen."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from tests.conftest import release_held
from tests.e2e.harness import copy_state, fhub

pytestmark = pytest.mark.e2e


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newest_manifest_names_every_landed_input_by_hash(baseline):
    data = baseline["data"]
    manifest = json.loads((data / "published" / "manifests" / "latest.json").read_text())
    inputs = manifest["inputs"]
    listed = {f["sha256"]: f for f in inputs["borough_deliveries"]}
    sent = [p for p in baseline["sent"].rglob("*") if p.is_file()]
    assert sent and {_sha(p) for p in sent} <= set(listed)
    for path in sent:
        entry = listed[_sha(path)]
        assert entry["size_bytes"] == path.stat().st_size
        assert entry["borough_code"].startswith("E09") and entry["extract"] and entry["period"]
        assert path.name not in json.dumps(manifest)  # named by label, never by the delivered file name
    assert inputs["reference_files"] and all(len(f["sha256"]) == 64 for f in inputs["reference_files"])
    assert manifest["code_version"] == inputs["code_version"] and inputs["code_version"].startswith("git-")
