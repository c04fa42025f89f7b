"""`fhub reference fetch` against a local mirror on 127.0.0.1 serving ../shared/data/real (no real network).

``FHUB_REFERENCE_MIRROR`` points the fetch at the mirror, which answers for the publishers' URL paths with
the bytes in the shared folder (see :mod:`tests.reference.mirror`). The current EES headline file is not in
the shared folder: the mirror serves the release ZIP built around the fixture in that layout.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest
import yaml

from fhub.reference import ensure_reference_tables, land_reference, load_config
from fhub.reference.config import ReferenceConfig
from fhub.reference.fetch import fetch_references, reference_status
from fhub.reference.folder import choose_reference_folder, fetched_reference_dir
from fhub.reference.pins import load_downloads
from fhub.settings import Paths
from tests.reference.mirror import Mirror, closed_port_url, serve_shared, url_path

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = PROJECT / "tests/fixtures/reference/ees_current/1_eyfsp_headline_measures_2022_2025.csv"
DOWNLOADS = load_downloads()
BY_TABLE = {d.table: d for d in DOWNLOADS}
CURRENT = BY_TABLE["dfe_eyfsp_headline_2022_2025"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _release_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data-guidance/data-guidance.txt", "Early years foundation stage profile results 2024/25")
        zf.write(FIXTURE, "data/1_eyfsp_headline_measures_2022_2025.csv")
    return buf.getvalue()


@pytest.fixture
def mirror(real_data_dir):
    with Mirror() as m:
        served = serve_shared(m, real_data_dir, DOWNLOADS)
        assert len(served) == len(DOWNLOADS) - 1  # every pinned file; the current EES file is not shared
        m.serve(CURRENT.urls[0].url, body=_release_zip())
        yield m


def _fhub(data: Path, *args: str, mirror: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FHUB_REAL_DATA_DIR", "FHUB_REFERENCE_MIRROR")}
    env["FHUB_DATA_DIR"] = str(data)
    if mirror:
        env["FHUB_REFERENCE_MIRROR"] = mirror
    return subprocess.run(
        [sys.executable, "-m", "fhub", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _land_only(paths: Paths, folder, run_id: str, *tables: str):
    """Reference landing from the chosen folder, for a few tables (every ref table exists, as in a run)."""
    config = load_config()
    paths.work_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.work_db)) as con:
        ensure_reference_tables(con, config)
    small = ReferenceConfig(
        sources=tuple(config.source(t) for t in tables), missing_markers=config.missing_markers
    )
    return land_reference(paths, run_id, real_dir=folder.path, pins=folder.pins, config=small)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.part"))


def test_fetch_through_the_mirror_verifies_every_pin_and_waits_for_the_unpinned_file(tmp_path, mirror):
    data = tmp_path / "data"
    reference = data / "reference"
    run = _fhub(data, "reference", "fetch", mirror=mirror.url)
    assert run.returncode == 0, run.stdout + run.stderr
    # every pinned file is in place with exactly the pinned bytes, under the same relative path as shared
    for d in DOWNLOADS:
        if d.pinned:
            assert _sha((reference / d.path).read_bytes()) == d.sha256, d.table
    assert "17 fetched, 1 unpinned" in run.stdout
    # the mirror replaced the host: it was asked for the publishers' own paths (the first URL of each file)
    assert mirror.requests == [url_path(d.urls[0].url) for d in DOWNLOADS]
    # the unpinned file is not used: kept aside, with its size and hash printed for review
    assert not (reference / CURRENT.path).exists()
    expected = _sha(FIXTURE.read_bytes())
    assert f"sha256 {expected}" in run.stdout and "--accept-new dfe_eyfsp_headline_2022_2025" in run.stdout
    assert (
        reference / ".pending" / "dfe_eyfsp_headline_2022_2025.pending"
    ).read_bytes() == FIXTURE.read_bytes()
    assert _leftovers(data) == []
    status = _fhub(data, "reference", "status", mirror=None)
    assert status.returncode == 0 and re.search(
        r"missing +dfe_eyfsp_headline_2022_2025 +no pin yet", status.stdout
    )

    # --accept-new installs exactly the bytes that were reviewed (no new download) and records the pin
    asked = len(mirror.requests)
    accept = _fhub(data, "reference", "fetch", "--accept-new", CURRENT.table, mirror=mirror.url)
    assert accept.returncode == 0, accept.stdout + accept.stderr
    assert len(mirror.requests) == asked
    assert (reference / CURRENT.path).read_bytes() == FIXTURE.read_bytes()
    local = yaml.safe_load((reference / "pins.local.yml").read_text())
    assert local[CURRENT.table]["sha256"] == expected and local[CURRENT.table]["replaces"] is None
    assert f"sha256: {expected}" in accept.stdout  # the lines to pin it in config for everyone
    status = _fhub(data, "reference", "status", mirror=None)
    assert re.search(rf"verified +dfe_eyfsp_headline_2022_2025 +pin {expected[:12]} \(local\)", status.stdout)

    # the nightly lands from the fetched folder (chosen before the shared one), current EES layout included
    paths = Paths(project=PROJECT, data=data)
    folder = choose_reference_folder(paths, explicit=None, shared=tmp_path / "no-shared")
    assert folder.origin == "fetched" and folder.path == reference
    result = _land_only(paths, folder, "run-1", "dfe_las", "dfe_eyfsp_headline_2022_2025")
    assert result.ok and {f.table_name: f.status for f in result.files} == {
        "dfe_las": "landed",
        "dfe_eyfsp_headline_2022_2025": "landed",
    }
    with duckdb.connect(str(paths.work_db), read_only=True) as con:
        row = con.execute(
            "select time_period_int, breakdown_topic, sex, children_count_int, gld_children_count_int, "
            "comm_lang_lit_expected_children_count_int, _source_file, _sha256 from ref.dfe_eyfsp_headline_2022_2025"
        ).fetchone()
    assert row == (202425, "Total", "Total", 589471, 402591, 410593, CURRENT.path, expected)


def test_a_file_changed_upstream_is_refused_with_its_new_hash_until_accepted(tmp_path, mirror, real_data_dir):
    data = tmp_path / "data"
    reference = data / "reference"
    las = BY_TABLE["dfe_las"]
    assert _fhub(data, "reference", "fetch", "dfe_las", mirror=mirror.url).returncode == 0
    original = (reference / las.path).read_bytes()
    changed = original.replace(b"Camden", b"Camden (renamed)")
    mirror.serve(las.urls[0].url, body=changed)

    again = _fhub(data, "reference", "fetch", "dfe_las", "--force", mirror=mirror.url)
    assert again.returncode == 1
    assert "CHANGED UPSTREAM" in again.stdout and f"sha256 {_sha(changed)}" in again.stdout
    assert f"sha256 {las.sha256}" in again.stdout and "--accept-new dfe_las" in again.stdout
    assert (reference / las.path).read_bytes() == original  # the published figures' file is untouched
    assert _leftovers(data) == []

    # landing from the fetched folder also refuses other bytes dropped in by hand
    (reference / las.path).write_bytes(changed)
    paths = Paths(project=PROJECT, data=data)
    folder = choose_reference_folder(paths, explicit=None, shared=real_data_dir)
    refused = _land_only(paths, folder, "run-1", "dfe_las")
    assert [(i.issue, i.severity) for i in refused.issues] == [("pin_mismatch", "error")]

    accepted = _fhub(data, "reference", "fetch", "--accept-new", "dfe_las", mirror=mirror.url)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "ACCEPTED" in accepted.stdout and f"was {las.sha256[:12]} (config)" in accepted.stdout
    local = yaml.safe_load((reference / "pins.local.yml").read_text())["dfe_las"]
    assert (local["sha256"], local["size"], local["replaces"]) == (_sha(changed), len(changed), las.sha256)
    folder = choose_reference_folder(paths, explicit=None, shared=real_data_dir)
    landed = _land_only(paths, folder, "run-2", "dfe_las")
    assert landed.ok and [f.status for f in landed.files] == ["landed"]
    # the config file itself is never edited by a fetch
    assert load_downloads() == DOWNLOADS


def test_the_next_url_is_tried_only_when_one_cannot_be_downloaded(tmp_path, real_data_dir):
    imd = BY_TABLE["mhclg_imd2019_lsoa"]
    official, copy = imd.urls
    with Mirror() as m:
        m.serve(official.url, status=404)
        m.serve(copy.url, file=real_data_dir / imd.path)
        report = fetch_references(tmp_path, downloads=[imd], mirror=m.url, attempts=1)
        assert [o.status for o in report.outcomes] == ["fetched"]
        assert m.requests == [url_path(official.url), url_path(copy.url)]
        # bytes that arrive whole but differ stop there: the copy is NOT tried behind the publisher's back
        m.serve(official.url, body=b"a different workbook")
        m.requests.clear()
        report = fetch_references(tmp_path, downloads=[imd], mirror=m.url, attempts=1, force=True)
        assert [o.status for o in report.outcomes] == ["changed_upstream"]
        assert m.requests == [url_path(official.url)]


def test_a_partial_download_leaves_nothing_behind_and_keeps_the_file_in_place(tmp_path, real_data_dir):
    lads = BY_TABLE["dfe_lads"]
    body = (real_data_dir / lads.path).read_bytes()
    with Mirror() as m:
        m.serve(lads.urls[0].url, body=body, truncate_at=len(body) // 2)
        report = fetch_references(tmp_path, downloads=[lads], mirror=m.url, attempts=2, backoff=0)
        [outcome] = report.outcomes
        assert outcome.status == "failed" and not report.ok
        assert f"connection closed after {len(body) // 2:,} of {len(body):,} bytes" in outcome.message
        assert len(m.requests) == 2  # retried once
        assert not (tmp_path / lads.path).exists() and _leftovers(tmp_path) == []
        assert not (tmp_path / ".pending").exists() or not any((tmp_path / ".pending").iterdir())

        # with the pinned file already in place, a broken re-download leaves it as it was
        m.serve(lads.urls[0].url, body=body)
        assert fetch_references(tmp_path, downloads=[lads], mirror=m.url).ok
        m.serve(lads.urls[0].url, body=body, stall=3.0)
        report = fetch_references(
            tmp_path, downloads=[lads], mirror=m.url, force=True, timeout=0.5, attempts=1
        )
        assert report.outcomes[0].status == "failed" and "0.5 s" in report.outcomes[0].message
        assert "already in place is kept" in report.outcomes[0].message
        assert (tmp_path / lads.path).read_bytes() == body and _leftovers(tmp_path) == []


def test_offline_make_run_fetch_is_one_line_and_the_run_falls_back(tmp_path, real_data_dir):
    data = tmp_path / "data"
    nobody = closed_port_url()
    quiet = _fhub(data, "reference", "fetch", "--when-empty", mirror=nobody)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    lines = quiet.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reference: not fetched, no network")
    assert f"reference data from the shared folder {real_data_dir}" in lines[0]
    assert not (data / "reference").exists() or not any((data / "reference").rglob("*"))

    # asked for explicitly, the same failure is an error naming the file and URL; one host is tried once
    loud = _fhub(data, "reference", "fetch", "--attempts", "1", mirror=nobody)
    assert loud.returncode == 1
    assert (
        f"dfe_las: NOT FETCHED: {nobody}/dfe-analytical-services/" in loud.stdout
        and "cannot connect" in loud.stdout
    )
    assert "could not be reached earlier" in loud.stdout
    assert "18 failed" in loud.stdout and _leftovers(data) == []


def test_when_empty_does_not_fetch_over_an_existing_folder_or_an_explicit_one(tmp_path, mirror):
    data = tmp_path / "data"
    assert _fhub(data, "reference", "fetch", "dfe_regions", mirror=mirror.url).returncode == 0
    asked = len(mirror.requests)
    run = _fhub(data, "reference", "fetch", "--when-empty", mirror=mirror.url)
    assert run.returncode == 0 and "1 of 18 files already in" in run.stdout
    assert len(mirror.requests) == asked
    fresh = tmp_path / "fresh"
    env_run = subprocess.run(
        [sys.executable, "-m", "fhub", "reference", "fetch", "--when-empty"],
        cwd=PROJECT,
        env={
            **os.environ,
            "FHUB_DATA_DIR": str(fresh),
            "FHUB_REAL_DATA_DIR": str(tmp_path),
            "FHUB_REFERENCE_MIRROR": mirror.url,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert env_run.returncode == 0 and "FHUB_REAL_DATA_DIR is set, nothing fetched" in env_run.stdout
    assert len(mirror.requests) == asked
    assert reference_status(fetched_reference_dir(Paths(project=PROJECT, data=fresh)))[0].state == "missing"
