"""Receipts officers can act on (issue 17): one per borough per run, summary first, what to do and by when,
repeated warnings grouped once, a section only for a file needing action, a line per clean file, "nothing
received" for a due delivery, and the same receipt as a self-contained HTML page beside the CSV."""

from __future__ import annotations

from pathlib import Path

from fhub.landing import land_all
from tests.badinput.fixtures import HEADERS, KEY, TODAY, csv_text, good_row, setup


def _rows(month: str, ids: range) -> list[list[str]]:
    """Good contact rows dated inside ``month`` (a file whose rows are for another month is held)."""
    rows = [good_row(i) for i in ids]
    for r in rows:
        r[8] = r[8][:3] + month[5:] + "/" + month[:4]
    return rows


def _land(tmp_path: Path):
    paths, config = setup(tmp_path)
    folder = paths.incoming / "hackney"
    for k, month in enumerate(("2024-08", "2024-09", "2024-10")):  # the same warning (a phone number) in each
        rows = _rows(month, range(1 + 10 * k, 6 + 10 * k))
        rows[1][7] = "call 07700 900123"
        (folder / f"hackney_contacts_{month}.csv").write_text(csv_text(rows), encoding="utf-8")
    bad = _rows("2024-07", range(1, 6))
    bad[2][3] = "NOT-A-HUB"  # a rejected row: this file needs action
    (folder / "hackney_contacts_2024-07.csv").write_text(csv_text(bad), encoding="utf-8")
    clean = _rows("2024-06", range(1, 4))
    (folder / "hackney_contacts_2024-06.csv").write_text(csv_text(clean), encoding="utf-8")
    result = land_all(paths, "run1", KEY, key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv",
                      today=TODAY)
    return paths, result


def test_receipt_summary_first_grouped_warnings_and_sections_only_for_files_needing_action(tmp_path):
    paths, result = _land(tmp_path)
    text = (paths.receipts / "hackney" / "run1.md").read_text()
    summary, todo = text.index("## Summary"), text.index("## What to do")
    assert summary < todo < text.index("## Repeated warnings") < text.index("## Files that need action")
    assert "| 5 | 5 | 0 | 0 | 0 | 23 | 22 | 1 |" in text  # received, landed, held, quarantined, waiting, rows
    # the phone-number warning is shown once for its three files, not three times
    repeated = text[text.index("## Repeated warnings"):text.index("## Files that need action")]
    assert repeated.count("| Partner |") == 1 and "| 3 |" in repeated
    assert text.count("phone number") == repeated.count("phone number") + text[todo:text.index("## Repeated")].count(
        "phone number")
    # only the file with a rejected row has a section; the others are one line each
    action = text[text.index("## Files that need action"):text.index("## Files with nothing to do")]
    assert action.count("### hackney contacts") == 1 and "contacts 2024-07" in action and "HubCode" in action
    clean = text[text.index("## Files with nothing to do"):]
    assert clean.count("| hackney contacts") == 4 and "repeated warning" in clean
    assert "lines in the file = 1 heading + 5 data rows (5 landed, 0 rejected)" in clean  # every line accounted for
    assert "Correct 1 rejected row(s) in hackney contacts 2024-07" in text and "next nightly run" in text


def test_nothing_received_when_due(tmp_path):
    paths, _ = _land(tmp_path)
    text = (paths.receipts / "hackney" / "run1.md").read_text()
    # on 31 December 2024 the latest due month is November (due 10 December): nothing landed for it
    assert "**Nothing received for contacts 2024-11**" in text and "it was due on 10 December 2024" in text
    # one receipt per borough per run: a borough that sent nothing tonight reads so, with what was due
    camden = (paths.receipts / "camden" / "run1.md").read_text()
    assert "No new files from this borough were received in this run (files received before, unchanged, are not listed again)." in camden
    assert "**Nothing received for contacts 2024-11**" in camden
    assert (paths.receipts / "camden" / "run1.html").exists() and (paths.receipts / "camden" / "run1.csv").exists()


def test_receipt_as_self_contained_html_and_csv(tmp_path):
    paths, result = _land(tmp_path)
    page = (paths.receipts / "hackney" / "run1.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page.split("</head>")[0]
    assert "<h2>Summary</h2>" in page and '<div class="table-wrap" role="region"' in page
    assert (paths.receipts / "hackney" / "run1.csv").exists()
    assert {p.suffix for p in result.receipts} == {".md", ".csv", ".html"}


def test_the_same_whole_file_warning_in_several_files_is_shown_once(tmp_path):
    paths, config = setup(tmp_path)
    folder = paths.incoming / "hackney"
    headers = [*HEADERS, "Extra"]
    for k, month in enumerate(("2024-08", "2024-09", "2024-10")):  # an unknown extra column in every file
        rows = [[*r, "x"] for r in _rows(month, range(1 + 10 * k, 4 + 10 * k))]
        (folder / f"hackney_contacts_{month}.csv").write_text(csv_text(rows, headers), encoding="utf-8")
    land_all(paths, "run1", KEY, key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    text = (paths.receipts / "hackney" / "run1.md").read_text()
    repeated = text[text.index("## Repeated warnings"):]
    assert "(whole file) | " in repeated and "not part of the agreed format" in repeated
    assert "#### Warnings about the whole file" not in text and "## Files that need action" not in text
    assert text.count("not part of the agreed format") == 1
