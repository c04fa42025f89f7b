"""The pre-send check (``fhub check``): the nightly's own landing with the real mapping files and hub list,
exit codes 0/1/2, the receipt summary first, and nothing written where the warehouse lives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fhub.check import WOULD_LAND_CLEAN, WOULD_LAND_WITH_PROBLEMS, WOULD_NOT_LAND, CheckError, check_files
from fhub.check.verdict import file_verdict
from fhub.cli import main
from fhub.landing import DeliveryOutcome, land_all
from fhub.pseudonymise import DEMO_KEY
from fhub.settings import PROJECT_DIR, Paths

CLEAN = "hackney_contacts_2025-05.csv"


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> Path:
    """Hackney's demo deliveries, rendered with the real mapping files (config/boroughs)."""
    from fhub_dev.demo import generate

    out = tmp_path_factory.mktemp("demo")
    generate(out, scale="tiny", seed=7, boroughs=["hackney"], real_data_dir=None)
    return out / "hackney"


@pytest.fixture
def files(tmp_path, demo_files) -> dict[str, Path]:
    """A clean contacts file, one with a row for an unknown hub, and one whose name is not agreed."""
    folder = tmp_path / "to-send"
    folder.mkdir()
    clean = shutil.copy2(demo_files / CLEAN, folder / CLEAN)
    lines = (demo_files / "hackney_contacts_2025-06.csv").read_text(encoding="utf-8").splitlines()
    assert "HAC-0" in lines[3]
    lines[3] = lines[3].replace("HAC-0", "HAC-9", 1)
    rejected = folder / "hackney_contacts_2025-06.csv"
    rejected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    misnamed = folder / "Hackney contacts for June.csv"
    misnamed.write_text("ContactRef,ClientID\nC1,P1\n", encoding="utf-8")
    return {"clean": Path(clean), "rejected": rejected, "misnamed": misnamed}


def _installation(tmp_path: Path) -> Paths:
    """The real project (mappings, hub list) with a data folder of the test's own."""
    return Paths(project=PROJECT_DIR, data=tmp_path / "data")


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def test_clean_file_exits_0_and_prints_the_receipt_after_the_summary(tmp_path, files):
    result = check_files(_installation(tmp_path), "hackney", [files["clean"]], temp_root=tmp_path)
    assert result.exit_code == WOULD_LAND_CLEAN
    text = result.report_text()
    assert text.startswith("Pre-send check for Hackney (E09000012): 1 file - WOULD LAND CLEANLY (exit code 0)")
    assert "File 1 (contacts 2025-05): would land cleanly" in text
    assert text.index("Pre-send check") < text.index("# Delivery receipt") < text.index("## Summary")
    assert "| contacts | 2025-05 | landed |" in text  # the clean file's line in the receipt


def test_rejected_row_exits_1_with_row_and_column_in_the_receipt(tmp_path, files):
    result = check_files(_installation(tmp_path), "hackney", [files["rejected"]], temp_root=tmp_path)
    assert result.exit_code == WOULD_LAND_WITH_PROBLEMS
    outcome = result.files[0].outcome
    assert (outcome.rows_rejected, outcome.rows_landed) == (1, outcome.rows_delivered - 1)
    assert "1 row rejected" in result.files[0].verdict
    assert "### Rejected rows" in result.receipt_markdown and "| 3 | 4 | HubCode |" in result.receipt_markdown
    assert "row rejected" in result.receipt_csv


def test_quarantined_file_exits_2_and_the_worst_file_decides(tmp_path, files):
    result = check_files(_installation(tmp_path), "hackney", [files["clean"], files["misnamed"]],
                         temp_root=tmp_path)
    assert [f.code for f in result.files] == [WOULD_LAND_CLEAN, WOULD_NOT_LAND]
    assert result.exit_code == WOULD_NOT_LAND
    assert "quarantined" in result.files[1].verdict
    # the summary names files by position, extract and period - never by their name
    assert "Hackney contacts for June" not in "\n".join(result.summary_lines())


@pytest.mark.parametrize(("status", "code"), [
    ("held", WOULD_NOT_LAND), ("quarantined", WOULD_NOT_LAND), ("waiting", WOULD_NOT_LAND),
    ("a-status-landing-adds-later", WOULD_NOT_LAND), ("skipped", WOULD_LAND_WITH_PROBLEMS),
    ("superseded", WOULD_LAND_WITH_PROBLEMS),
])
def test_statuses_map_to_exit_codes(status, code):
    assert file_verdict(DeliveryOutcome("f.csv", "hackney", "0" * 64, status))[0] == code


def test_warnings_alone_exit_1_and_a_file_landing_would_not_pick_up_exits_2():
    warned = DeliveryOutcome("f.csv", "hackney", "0" * 64, "landed", rows_delivered=3, rows_landed=3,
                             file_warnings=[(None, "A column was dropped.", "No action needed.")])
    assert file_verdict(warned)[0] == WOULD_LAND_WITH_PROBLEMS
    assert file_verdict(None)[0] == WOULD_NOT_LAND


def test_nothing_is_written_to_the_data_folder(tmp_path, files, demo_files):
    paths = _installation(tmp_path).ensure()
    shutil.copytree(demo_files, paths.incoming / "hackney")
    land_all(paths, "night-1", DEMO_KEY.encode(), key_label="demo")  # an installation with a warehouse
    before = _tree(paths.data)
    temp_root = tmp_path / "temp"
    temp_root.mkdir()
    result = check_files(paths, "hackney", list(files.values()), temp_root=temp_root)
    assert result.exit_code == WOULD_NOT_LAND  # one file was quarantined - in the throw-away folder only
    assert _tree(paths.data) == before
    assert list(temp_root.iterdir()) == []


def test_history_same_bytes_are_a_repeat_and_a_new_file_replaces_the_delivery_in_use(tmp_path, files):
    paths = _installation(tmp_path).ensure()
    (paths.incoming / "hackney").mkdir()
    shutil.copy2(files["clean"], paths.incoming / "hackney" / CLEAN)
    land_all(paths, "night-1", DEMO_KEY.encode(), key_label="demo")
    again = check_files(paths, "hackney", [files["clean"]], temp_root=tmp_path)
    assert again.files[0].outcome.status == "skipped" and again.exit_code == WOULD_LAND_WITH_PROBLEMS
    assert "1 earlier delivery" in again.history.note
    correction = tmp_path / "correction" / CLEAN
    correction.parent.mkdir()
    correction.write_text(files["clean"].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(correction, (files["clean"].stat().st_mtime + 60,) * 2)
    replaced = check_files(paths, "hackney", [correction], temp_root=tmp_path)
    assert replaced.exit_code == WOULD_LAND_CLEAN
    assert "would replace 1 earlier delivery" in replaced.files[0].verdict
    fresh = check_files(paths, "hackney", [correction], history=False, temp_root=tmp_path)
    assert not fresh.files[0].outcome.supersedes


def test_unknown_borough_and_duplicate_names_are_refused(tmp_path, files):
    with pytest.raises(CheckError, match="Known boroughs: .*hackney"):
        check_files(_installation(tmp_path), "hackny", [files["clean"]])
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(CheckError, match="same name"):
        check_files(_installation(tmp_path), "hackney", [files["clean"], shutil.copy2(files["clean"], other)])


def test_cli_exit_codes(tmp_path, files, monkeypatch, capsys):
    monkeypatch.setenv("FHUB_DATA_DIR", str(tmp_path / "data"))
    assert main(["check", "--borough", "hackney", str(files["clean"])]) == 0
    assert capsys.readouterr().out.startswith("Pre-send check for Hackney")
    csv = tmp_path / "problems.csv"
    assert main(["check", "--borough", "hackney", str(files["rejected"]), "--receipt-csv", str(csv)]) == 1
    assert "HubCode" in csv.read_text(encoding="utf-8")
    assert main(["check", "--borough", "hackney", str(files["misnamed"])]) == 2
    assert main(["check", "--borough", "nowhere", str(files["clean"])]) == 2
    assert "Known boroughs" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_folders_a_killed_check_left_behind_are_swept(tmp_path, files):
    from fhub.check.run import sweep_stale

    stale, fresh, other = tmp_path / "fhub-check-old", tmp_path / "fhub-upload-new", tmp_path / "fhub-mine"
    for folder in (stale, fresh, other):
        folder.mkdir()
    os.utime(stale, (0, 0))
    os.utime(other, (0, 0))
    check_files(_installation(tmp_path), "hackney", [files["clean"]], temp_root=tmp_path)
    assert not stale.exists() and fresh.exists() and other.exists()
    assert sweep_stale(tmp_path) == 0
