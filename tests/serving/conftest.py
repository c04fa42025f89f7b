"""One real PostgreSQL cluster per test session (Debian's server, started by the same code as
``fhub postgres up``) in its own temporary folder; each test module loads into its own database."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from fhub.serving.cluster import LocalCluster
from fhub.serving.config import default_config_path, load_serving_config
from fhub.serving.serve import ServingTarget, load_into
from tests.serving.helpers import PROJECT, mart_version

#: A throw-away cluster need not survive a power cut.
FAST = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}


@pytest.fixture(scope="session")
def serving_config():
    return load_serving_config(default_config_path(PROJECT))


@pytest.fixture(scope="session")
def pg_cluster(serving_config):
    # not under pytest's basetemp: as root the server runs as `postgres`, which must reach the folder
    root = Path(tempfile.mkdtemp(prefix="fhub-pg-"))
    cluster = LocalCluster(root / "postgres")
    info = cluster.up(database=serving_config.database, loader=serving_config.loader, settings=FAST)
    yield cluster, info
    cluster.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def mart_a(baseline, tmp_path_factory):
    """Tonight's mart as the session's nightly run published it."""
    return mart_version(baseline["data"], tmp_path_factory.mktemp("mart-a"))


@pytest.fixture(scope="session")
def mart_b(baseline, tmp_path_factory):
    """Another night's mart (different run id, no hub rows)."""
    return mart_version(baseline["data"], tmp_path_factory.mktemp("mart-b"), run_id="20991231T000000Z-bbbbbb")


@pytest.fixture(scope="session")
def load(pg_cluster, serving_config):
    """``load(info, version)``: the nightly's load of ``version`` into the database of ``info``."""
    cluster, _ = pg_cluster

    def _load(info, version, **kwargs):
        target = ServingTarget(dsn=info.dsn(info.loader, tcp=False), local=cluster)
        result, _roles = load_into(target, version.paths, serving_config, **kwargs)
        return result

    return _load
