"""What each top-level folder may import (the README.md in each folder says the same):

* ``fhub/`` - the runtime: never the dev tools, never ``flows`` (except the CLI, an entry point); the GX
  runner (``fhub/quality/``) imports its suites from ``expectations``;
* ``flows/`` - Prefect flows: ``fhub`` and each other; never the dev tools;
* ``expectations/`` - GX suites as data: the runtime (``fhub.quality.spec``, ``fhub.contracts``), never flows
  or dev tools;
* ``fhub_dev/`` - dev tools (demo data, benchmark): anything of the project, never the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _violations(folder: str, allowed, exempt: tuple[str, ...] = ()) -> list[str]:
    out = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(exempt):
            continue
        for module in sorted(_imports(path)):
            top = module.split(".")[0]
            if top in {"fhub", "fhub_dev", "flows", "expectations", "tests"} and not allowed(module):
                out.append(f"{name} imports {module}")
    return out


def _runtime(module: str) -> bool:
    return module.split(".")[0] == "fhub"


def test_the_runtime_never_imports_dev_tools_or_flows():
    gx_runner = "fhub/quality/gx_runner.py"
    assert _violations("fhub", _runtime, exempt=("fhub/cli/", gx_runner)) == []
    assert _violations("fhub/quality", lambda m: _runtime(m) or m.split(".")[0] == "expectations") == []


def test_the_cli_reaches_flows_and_dev_tools_only_as_an_entry_point():
    assert _violations("fhub", lambda m: m.split(".")[0] in {"fhub", "flows", "fhub_dev", "expectations"}) == []


def test_flows_use_the_runtime_only():
    assert _violations("flows", lambda m: m.split(".")[0] in {"fhub", "flows"}) == []


def test_expectations_are_data_over_the_suite_spec():
    assert _violations("expectations", _runtime) == []


def test_dev_tools_never_import_the_tests():
    assert _violations("fhub_dev", lambda m: m.split(".")[0] != "tests") == []
