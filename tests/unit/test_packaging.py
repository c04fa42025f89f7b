"""``flows`` and ``expectations`` ship in the wheel as packages: no project code is reached through
``sys.path`` or loaded from a file path (issue 15)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PATH_TRICKS = re.compile(r"sys\.path\.(insert|append)|spec_from_file_location|SourceFileLoader")


def test_flows_and_expectations_are_packages_of_the_wheel():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    for package in ("fhub", "flows", "expectations"):
        assert package in packages
        assert (ROOT / package / "__init__.py").exists(), package


def test_no_path_tricks_load_project_code():
    found = [
        path.relative_to(ROOT).as_posix()
        for folder in ("fhub", "flows", "expectations")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if PATH_TRICKS.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_gate_imports_its_suites_from_the_package():
    from expectations import marts, raw_landing
    from fhub.quality.gx_runner import load_suites

    names = [s.name for s in load_suites()]
    assert names == [s.name for s in (*raw_landing.SUITES, *marts.SUITES)]
    assert "indicator_values" in names
