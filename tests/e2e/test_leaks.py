"""The leak suite (issue 13, "Done when"): hostile deliveries (tests/e2e/hostile.py) land on top of the demo in a
real nightly, through its own Prefect server and database; then every artefact the night wrote - work file,
published file, exports, HTML pages, receipts, manifests, run summary, logs, GX results and the Prefect
database - holds none of what was planted and nothing identifier-like (fhub.privacy.artefacts lists the only
exemptions), and no plaintext original is left at rest outside incoming/. The night still publishes, the
borough whose only hostile file is named with an NHS number is not held back, and receipts still say which row
and column to fix."""

from __future__ import annotations

import duckdb
import pytest

from fhub.privacy.artefacts import FILE_NAME_COLUMNS, scan_night
from fhub.privacy.scan_files import describe, plaintext_needles
from fhub.privacy.vault import is_encrypted
from tests.e2e.harness import PROJECT, copy_state, fhub
from tests.e2e.hostile import plant

pytestmark = pytest.mark.e2e

MERTON = "E09000024"


@pytest.fixture(scope="module")
def night(baseline, tmp_path_factory):
    root = tmp_path_factory.mktemp("leaks")
    data = copy_state(baseline["data"], root / "data")
    planted = plant(baseline["sent"], data / "incoming")
    home = root / "prefect-home"  # its own Prefect database (a temporary server), scanned below
    home.mkdir()
    result = fhub(data, "run", env={"PREFECT_HOME": str(home), "PREFECT_API_URL": None}, timeout=1500)
    return {"data": data, "home": home, "planted": planted, "result": result,
            "log": result.stdout + result.stderr}


def test_the_night_publishes_and_a_file_named_with_an_nhs_number_blocks_nothing(night):
    assert night["result"].returncode == 0, night["log"][-4000:]
    summary = (night["data"] / "reports" / "run-summary.md").read_text()
    assert "published: yes" in summary
    con = duckdb.connect(str(night["data"] / "published" / "warehouse.duckdb"), read_only=True)
    try:
        merton = con.execute("select count(*) filter (where dq_status = 'withheld'), count(value) "
                             "from indicator_values where geography_code = ?", [MERTON]).fetchone()
        quarantined = con.execute("select count(*) from deliveries where status = 'quarantined'").fetchone()[0]
    finally:
        con.close()
    assert merton[0] == 0 and merton[1] > 0, "Merton (only a misnamed file and free text) must publish in full"
    assert quarantined >= 5  # two headerless registers, two misnamed files, one renamed sheet


def test_every_artefact_is_free_of_identifier_like_text(night):
    scan = scan_night(night["data"], project=PROJECT, prefect_home=night["home"])
    scanned = set(scan.scanned)
    for expected in ("work/warehouse.duckdb", "published/warehouse.duckdb", "reports/run-summary.md",
                     "PREFECT_HOME/prefect.db"):
        assert expected in scanned, f"{expected} was not scanned"
    assert any(s.startswith("published/exports/") and s.endswith(".parquet") for s in scanned)
    assert any(s.startswith("reports/performance/") and s.endswith(".html") for s in scanned)
    assert any(s.startswith("receipts/") for s in scanned) and any(s.startswith("published/manifests/")
                                                                      for s in scanned)
    assert scan.findings == [], describe(scan.findings, 40)


def test_nothing_planted_reaches_any_artefact(night):
    from tests.e2e.hostile import needle_hits

    planted = night["planted"]
    hits = needle_hits(night["data"], planted.needles, skip=("incoming",), work_file_skip_columns=FILE_NAME_COLUMNS)
    hits += [f"PREFECT_HOME/{h}" for h in needle_hits(night["home"], planted.needles)]
    assert hits == [], "\n".join(hits[:40])


def test_no_plaintext_original_at_rest_outside_incoming(night):
    data, planted = night["data"], night["planted"]
    assert not [p for p in planted.files if p.exists()], "landed and quarantined files leave incoming/"
    assert plaintext_needles(data, planted.content_needles, skip=("incoming",)) == []
    assert plaintext_needles(night["home"], planted.content_needles) == []
    stored = [p for p in (data / "archive").rglob("*") if p.is_file()]
    stored += [p for p in (data / "quarantine").rglob("*") if p.is_file() and p.name != "reason.txt"]
    assert stored and all(is_encrypted(p) for p in stored)
    for note in (data / "quarantine").rglob("reason.txt"):
        text = note.read_text(encoding="utf-8")
        assert "Delivery: " in text and not any(n.name in text for n in planted.files)


def test_receipts_still_say_which_row_and_column_to_fix(night):
    receipts = sorted((night["data"] / "receipts" / "hackney").glob("*.csv"))
    text = receipts[-1].read_text(encoding="utf-8")
    lines = text.splitlines()
    # the row whose HubCode held a name (data row 1) and the one whose ContactDate held a name (data row 2)
    assert any(",1," in line and "HubCode" in line for line in lines), text[:2000]
    assert any(",2," in line and "ContactDate" in line for line in lines), text[:2000]
    assert "text of 20 characters" in text  # the value is described by its shape, never quoted
