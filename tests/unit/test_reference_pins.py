"""The pinned downloads (config/reference/downloads.yml), local pins, mirror URLs and the folder a run uses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from fhub.reference import load_config
from fhub.reference.download import mirror_url
from fhub.reference.folder import choose_reference_folder, fetched_reference_dir
from fhub.reference.pins import (
    DOWNLOADS_FILE,
    effective_pin,
    load_downloads,
    read_local_pins,
    record_local_pin,
)
from fhub.reference.readers import iter_files
from fhub.settings import Paths

DOWNLOADS = load_downloads()
BY_TABLE = {d.table: d for d in DOWNLOADS}


def test_every_reference_table_has_exactly_one_pinned_download_that_lands_into_it(tmp_path):
    """Each ref table the pipeline lands is fetched, and the fetched path is found by that table's patterns."""
    tables = [s.table for s in load_config().sources]
    assert sorted(BY_TABLE) == sorted(tables)
    for d in DOWNLOADS:
        (tmp_path / d.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / d.path).write_bytes(b"x")
    for src in load_config().sources:
        found = [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path, src.files)]
        assert found == [BY_TABLE[src.table].path], src.table


def test_every_download_names_its_release_licence_and_an_https_source():
    for d in DOWNLOADS:
        assert d.licence == "Open Government Licence v3.0", d.table
        assert d.release and d.publisher and d.page.startswith("https://"), d.table
        assert d.urls and all(u.url.startswith("https://") for u in d.urls), d.table
        # a third-party copy is never presented as the publisher's own: the note says so
        if d.urls[0].origin == "copy":
            assert "NOT fetched from" in d.note, d.table


def test_only_the_current_ees_headline_file_is_unpinned():
    assert [d.table for d in DOWNLOADS if not d.pinned] == ["dfe_eyfsp_headline_2022_2025"]
    current = BY_TABLE["dfe_eyfsp_headline_2022_2025"]
    assert current.urls[0].extract == "data/1_eyfsp_headline_measures_2022_2025.csv"
    assert "UNPINNED" in current.note


@pytest.mark.real
def test_pins_are_the_bytes_in_the_shared_folder(real_data_dir):
    """The sha256 and size pins come from the copies the figures were computed (and tested) from."""
    for d in DOWNLOADS:
        if not d.pinned:
            assert not (real_data_dir / d.path).exists()
            continue
        data = (real_data_dir / d.path).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (d.size, d.sha256), d.table


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sha256": "ABC"}, "64 lower-case hex"),
        ({"size": None}, "pinned together"),
        ({"path": "../outside.csv"}, "without '..'"),
        (
            {"urls": [{"url": "http://example.org/x", "origin": "publisher", "verified": "no"}]},
            "not an https",
        ),
        (
            {"urls": [{"url": "https://example.org/x", "origin": "mirror", "verified": "no"}]},
            "origin must be",
        ),
    ],
)
def test_config_mistakes_name_the_entry_and_the_key(tmp_path, change, message):
    data = yaml.safe_load(DOWNLOADS_FILE.read_text())
    data["files"][0].update(change)
    bad = tmp_path / "downloads.yml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ValueError, match=rf"files\[0\] \(dfe_las\).*{message}"):
        load_downloads(bad)


# ------------------------------------------------------------------------------------------ local pins
def test_an_accepted_pin_applies_while_the_config_pin_is_the_one_it_replaced(tmp_path):
    las = BY_TABLE["dfe_las"]
    assert effective_pin(las, {}).source == "config"
    record_local_pin(tmp_path, las, "f" * 64, 99, "https://example.org/las.csv")
    local = read_local_pins(tmp_path)
    assert local["dfe_las"]["replaces"] == las.sha256
    pin = effective_pin(las, local)
    assert (pin.sha256, pin.size, pin.source) == ("f" * 64, 99, "local")
    # the project later pins another file: its pin wins and the local one is reported stale, not used
    from dataclasses import replace

    moved_on = replace(las, sha256="e" * 64, size=100)
    pin = effective_pin(moved_on, local)
    assert (pin.sha256, pin.source) == ("e" * 64, "config")
    assert pin.stale_local["sha256"] == "f" * 64


def test_an_unpinned_file_has_no_pin_until_accepted(tmp_path):
    current = BY_TABLE["dfe_eyfsp_headline_2022_2025"]
    assert effective_pin(current, {}).source == "none"
    record_local_pin(tmp_path, current, "a" * 64, 10, "https://example.org/z")
    assert effective_pin(current, read_local_pins(tmp_path)).sha256 == "a" * 64


# ------------------------------------------------------------------------------------------ mirror
@pytest.mark.parametrize(
    ("mirror", "expected"),
    [
        (None, "https://raw.githubusercontent.com/o/r/c/data/las.csv?x=1"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/o/r/c/data/las.csv?x=1"),
        ("https://proxy.example/ref/", "https://proxy.example/ref/o/r/c/data/las.csv?x=1"),
        (
            "https://nexus.example/repository/{host}",
            "https://nexus.example/repository/raw.githubusercontent.com/o/r/c/data/las.csv?x=1",
        ),
    ],
)
def test_the_mirror_replaces_scheme_and_host_and_keeps_path_and_query(mirror, expected):
    assert mirror_url("https://raw.githubusercontent.com/o/r/c/data/las.csv?x=1", mirror) == expected


def test_a_mirror_that_is_not_http_is_refused():
    with pytest.raises(ValueError, match="FHUB_REFERENCE_MIRROR"):
        mirror_url("https://example.org/a", "file:///etc")


# ------------------------------------------------------------------------------------------ which folder
def _paths(tmp_path) -> Paths:
    return Paths(project=Path(__file__).resolve().parents[2], data=tmp_path / "data")


def _put(folder: Path, d) -> None:
    (folder / d.path).parent.mkdir(parents=True, exist_ok=True)
    (folder / d.path).write_bytes(b"x")


def test_an_explicit_folder_wins_and_a_missing_one_means_no_comparators(tmp_path):
    paths = _paths(tmp_path)
    _put(fetched_reference_dir(paths), BY_TABLE["dfe_las"])
    own = tmp_path / "own"
    own.mkdir()
    chosen = choose_reference_folder(paths, explicit=own, shared=tmp_path / "shared")
    assert (chosen.path, chosen.origin, chosen.pins) == (own, "explicit", None)
    gone = choose_reference_folder(paths, explicit=tmp_path / "gone", shared=tmp_path / "shared")
    assert gone.path is None and "does not exist" in gone.explanation and "\n" not in gone.explanation


def test_the_fetched_folder_comes_before_the_shared_one_and_carries_the_pins(tmp_path):
    paths = _paths(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    assert choose_reference_folder(paths, explicit=None, shared=shared).origin == "shared"
    _put(fetched_reference_dir(paths), BY_TABLE["dfe_las"])
    chosen = choose_reference_folder(paths, explicit=None, shared=shared)
    assert (chosen.path, chosen.origin) == (fetched_reference_dir(paths), "fetched")
    assert f"1 of {len(DOWNLOADS)} files" in chosen.explanation and "not fetched yet" in chosen.explanation
    assert chosen.pins[BY_TABLE["dfe_las"].path] == BY_TABLE["dfe_las"].sha256
    assert chosen.pins[BY_TABLE["dfe_eyfsp_headline_2022_2025"].path] is None


def test_nothing_anywhere_is_one_line_saying_the_run_goes_on_without_comparators(tmp_path):
    chosen = choose_reference_folder(_paths(tmp_path), explicit=None, shared=tmp_path / "absent")
    assert chosen.path is None and chosen.origin == "none"
    assert "without comparators" in chosen.explanation and "\n" not in chosen.explanation
