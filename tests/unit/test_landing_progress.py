"""Landing's progress messages: one line for a group's clean files, one per file that needs attention. A file
is named by its label (borough, extract, period, delivery id), never by its file name: the lines go to
Prefect's log database."""

from __future__ import annotations

from fhub.landing.land import _Counter
from fhub.landing.result import DeliveryOutcome


def _landed(name: str, rows: int, **extra) -> DeliveryOutcome:
    o = DeliveryOutcome(source_file=f"Amelia Smith {name}.csv", borough_slug="hackney",
                        sha256=name[-2:] + "3f2a91c0" + "0" * 54, status="landed", borough_code="E09000012",
                        extract_type="contacts", period=name[-7:])
    o.rows_delivered = o.rows_landed = rows
    for k, v in extra.items():
        setattr(o, k, v)
    return o


def test_clean_files_of_a_group_share_one_line_and_problems_keep_their_own():
    lines: list[str] = []
    counter = _Counter(4, lines.append)
    rejected = _landed("c_2024-03", 9, rows_rejected=1, rows_delivered=10)
    quarantined = DeliveryOutcome(source_file="9434765919 Amelia Smith.csv", borough_slug="hackney",
                                  sha256="77" * 32, status="quarantined", reason="The file name (a name of …")
    counter.report([_landed("c_2024-01", 5), _landed("c_2024-02", 7), rejected])
    counter.report([quarantined])
    assert len(lines) == 3
    assert lines[0].startswith("[1/4] hackney contacts 2024-03 (delivery 033f2a91): landed: 9 landed, 1 rejected "
                               "of 10")
    assert lines[1].startswith("[3/4] 2 files landed cleanly (contacts, hackney, 2024-01 to 2024-02): 12 rows")
    assert lines[2].startswith("[4/4] hackney file with an unrecognised name (delivery 77777777): quarantined")
    assert not any("Amelia" in line or "9434765919" in line for line in lines)


def test_a_single_clean_file_keeps_its_own_line():
    lines: list[str] = []
    _Counter(1, lines.append).report([_landed("c_2024-01", 5)])
    assert lines == ["[1/1] hackney contacts 2024-01 (delivery 013f2a91): landed: 5 landed, 0 rejected of 5"]


def test_files_received_on_an_earlier_run_share_one_line():
    lines: list[str] = []
    counter = _Counter(4, lines.append)
    skipped = [DeliveryOutcome(source_file=f"c_{i}.csv", borough_slug=slug, sha256=str(i), status="skipped")
               for i, slug in enumerate(["hackney", "hackney", "camden"])]
    counter.report_skipped(skipped, {"landed": 2, "quarantined": 1})
    counter.report([_landed("c_2024-04", 3)])
    assert lines[0] == (
        "[3/4] 3 files skipped: these exact bytes were received on an earlier run (2 landed, 1 quarantined; "
        "2 borough folders); nothing was changed. Each file's first receipt is in receipts/."
    )
    assert lines[1].startswith("[4/4] hackney contacts 2024-04 (delivery 043f2a91): landed")


def test_a_file_with_warnings_says_so_on_its_line():
    lines: list[str] = []
    warned = _landed("r_2024-05", 275, rows_warned=2,
                     file_warnings=[(None, "The column 'NHS Number' holds personal details", "Remove it")],
                     supersedes=["abc"])
    _Counter(1, lines.append).report([warned])
    assert lines == [
        "[1/1] hackney contacts 2024-05 (delivery 053f2a91): landed: 275 landed, 0 rejected of 275 (2 rows landed "
        "with a warning; 1 warning about the whole file; replaces 1 earlier delivery: see the receipt)"
    ]
