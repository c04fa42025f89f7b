"""``fhub check-server``: the page lists the boroughs, checks an upload and shows the receipt, refuses large
uploads and other hosts, and keeps nothing - the upload folder is deleted even when the check fails."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from fhub.check import server as check_server
from fhub.settings import PROJECT_DIR, Paths

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def contacts(tmp_path_factory) -> Path:
    from fhub_dev.demo import generate

    out = tmp_path_factory.mktemp("demo")
    generate(out, scale="tiny", seed=7, boroughs=["hackney"], real_data_dir=None)
    return out / "hackney" / "hackney_contacts_2025-05.csv"


@pytest.fixture
def client(tmp_path) -> tuple[TestClient, Path, Path]:
    temp_root = tmp_path / "temp"
    temp_root.mkdir()
    data = tmp_path / "data"
    app = check_server.create_app(Paths(project=PROJECT_DIR, data=data), max_upload_bytes=200_000,
                                  temp_root=temp_root)
    return TestClient(app, base_url="http://127.0.0.1:8765"), temp_root, data


def test_form_lists_the_boroughs_and_promises_nothing_is_stored(client):
    c, _, _ = client
    page = c.get("/")
    assert page.status_code == 200
    assert '<option value="hackney">Hackney</option>' in page.text
    assert "Nothing you upload is stored" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_upload_is_checked_and_discarded(client, contacts):
    c, temp_root, data = client
    page = c.post("/check", data={"borough": "hackney"},
                  files={"files": (contacts.name, contacts.read_bytes(), "text/csv")})
    assert page.status_code == 200
    assert "<h1>Would land cleanly</h1>" in page.text
    assert "contacts 2025-05" in page.text and "would land cleanly" in page.text
    assert "<h3>Delivery receipt" in page.text  # the receipt, one heading level below the page's own
    assert list(temp_root.iterdir()) == [] and not data.exists()


def test_missing_choices_get_an_error_summary(client, contacts):
    c, _, _ = client
    page = c.post("/check", data={"borough": ""}, files={"files": ("", b"", "text/csv")})
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert 'href="#borough">Choose your borough' in page.text and 'href="#files">Choose a file' in page.text


def test_too_large_upload_is_refused_before_it_is_parsed(client, contacts):
    c, temp_root, _ = client
    page = c.post("/check", data={"borough": "hackney"},
                  files={"files": (contacts.name, b"x" * 300_000, "text/csv")})
    assert page.status_code == 413 and "larger than" in page.text
    assert list(temp_root.iterdir()) == []


def test_upload_folder_is_removed_when_the_check_fails(client, contacts, monkeypatch):
    c, temp_root, _ = client
    seen: list[Path] = []

    def broken(paths, slug, files, **kwargs):
        seen.extend(files)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(check_server, "check_files", broken)
    page = c.post("/check", data={"borough": "hackney"},
                  files={"files": (contacts.name, contacts.read_bytes(), "text/csv")})
    assert page.status_code == 500
    assert "could not run" in page.text and "disk on fire" not in page.text
    assert seen and not seen[0].exists() and list(temp_root.iterdir()) == []


def test_other_hosts_are_refused(tmp_path):
    app = check_server.create_app(Paths(project=PROJECT_DIR, data=tmp_path))
    assert TestClient(app, base_url="http://fhub.example.org").get("/").status_code == 400


def test_upload_names_are_one_path_component():
    assert check_server._safe_upload_name("../../etc/hackney_contacts_2025-05.csv") == "hackney_contacts_2025-05.csv"
    assert check_server._safe_upload_name("C:\\Users\\me\\a.csv") == "a.csv"
    assert check_server._safe_upload_name("..") is None
    assert check_server._safe_upload_name("a\x00b.csv") is None


def test_serve_binds_to_loopback_only(monkeypatch, tmp_path):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    check_server.serve(Paths(project=PROJECT_DIR, data=tmp_path), port=9999)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 9999
    shutil.rmtree(tmp_path, ignore_errors=True)
