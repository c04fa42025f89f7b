"""`fhub report` is the one way to build the report by hand (`python -m fhub.report` is gone, issue 17): it
builds the pages of any published file into any folder, and says what is wrong without a traceback."""

from __future__ import annotations

from pathlib import Path

from fhub.cli import main
from fhub.report.sample import build_sample_published

PROJECT = Path(__file__).resolve().parents[2]


def test_fhub_report_builds_the_pages_of_a_published_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FHUB_DATA_DIR", str(tmp_path / "data"))
    published = build_sample_published(tmp_path / "w.duckdb")
    out = tmp_path / "pages"
    assert main(["report", "--published", str(published), "--out", str(out), "--no-pdf"]) == 0
    printed = capsys.readouterr().out.split()
    assert str(out / "index.html") in printed and (out / "borough-E09000012.html").exists()
    assert not list(out.glob("*.pdf"))  # --no-pdf


def test_fhub_report_names_a_missing_published_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FHUB_DATA_DIR", str(tmp_path / "data"))
    assert main(["report", "--published", str(tmp_path / "none.duckdb"), "--no-pdf"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_the_report_has_no_second_entry_point():
    assert not (PROJECT / "fhub" / "report" / "__main__.py").exists()
