"""Every hostile-input case through the real landing engine: outcome, receipt message, row accounting."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import duckdb
import pytest

from fhub.landing import land_all
from fhub.landing.archive import archive_path
from fhub.landing.ledger import RECONCILIATION_COLUMNS
from fhub.privacy.vault import OriginalsKey, decrypt_stream, is_encrypted
from tests.badinput.cases import CASES, NAME, Case, rows
from tests.badinput.fixtures import CONTACTS_SPEC, KEY, TODAY, csv_text, good_row, setup
from tests.badinput.leaks import file_texts, identifier_like_text, quoted, shown_texts

DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-input-catalogue.md"


def _land(tmp_path: Path, case: Case):
    """The case's earlier files (if any) land on night 0; the case's file arrives for night 1 (run1)."""
    paths, config = setup(tmp_path, case.spec, case.extra_specs)
    folder = paths.incoming / "hackney"
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    if case.before:
        case.before(folder)
        for f in folder.iterdir():
            os.utime(f, (1_700_000_000,) * 2)
        land_all(paths, "run0", KEY, **kw)
    f = case.write(folder)
    if not f.is_symlink():
        os.utime(f, (1_700_000_600,) * 2)
    result = land_all(paths, "run1", KEY, **kw)
    new = [o for o in result.deliveries if o.status != "skipped"]
    assert len(new) == 1, [(o.source_file, o.status) for o in result.deliveries]
    return paths, new[0], f


#: what nothing the borough reads may contain: SQL, database errors, "internal error"
LEAKS = re.compile(r"internal error|\bselect\b[^.|]*\bfrom\b|insert into|create (or replace )?(temp )?table|"
                   r"read_csv|\b\w+ Error:|duckdb|Traceback|\bcast\(", re.IGNORECASE)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(tmp_path: Path, case: Case) -> None:
    paths, out, delivered = _land(tmp_path, case)
    # nothing the file holds is quoted anywhere (cells, headings, sheet names, its name if not as agreed) ...
    needles = file_texts(delivered, {**CONTACTS_SPEC, **(case.spec or {})}, case.extra_specs or ()) | set(case.planted)
    assert quoted(shown_texts(paths, out, "run1"), needles) == []
    # ... and nothing identifier-like reaches a text column of the work file (raw and landing)
    assert identifier_like_text(paths.work_db) == []
    _check_case(paths, case, out)


def _check_case(paths, case: Case, out) -> None:
    con = duckdb.connect(str(paths.work_db), read_only=True)
    try:
        # nothing lost: the original bytes are archived, encrypted, whatever happened
        if out.sha256:
            archived = archive_path(paths.archive, out.sha256)
            assert is_encrypted(archived)
            with open(archived, "rb") as fh:
                assert decrypt_stream(fh, io.BytesIO(), OriginalsKey.demo())[0] == out.sha256
        receipt = (paths.receipts / "hackney" / "run1.md").read_text(encoding="utf-8")
        assert not LEAKS.search(receipt), receipt
        raw_rows = con.execute("select count(*) from raw.hub_contacts where _run_id = 'run1'").fetchone()[0]
        if case.outcome in ("quarantined", "duplicate", "ignored", "refused"):
            assert out.status == case.outcome, (out.status, out.reason)
            assert case.message in out.reason
            assert case.message in receipt
            if case.outcome == "quarantined":
                # kept encrypted under the delivery id, never under the borough's file name
                folder = paths.quarantine / out.delivery_id
                assert sorted(p.name for p in folder.iterdir()) == ["original.fenc", "reason.txt"]
                assert is_encrypted(folder / "original.fenc")
            else:
                events = con.execute("select event from landing.file_events where run_id = 'run1'").fetchall()
                assert events == [(case.outcome if case.outcome != "refused" else "refused",)]
            assert raw_rows == 0
            return
        if case.outcome == "held":
            assert out.status == "held", (out.status, out.reason)
            assert case.message in out.reason and case.message in receipt
            assert con.execute("select status from landing.deliveries where delivery_id = ?",
                               [out.delivery_id]).fetchall() == [("held",)]
            assert con.execute("select count(*) from landing.holds where delivery_id = ?",
                               [out.delivery_id]).fetchone()[0] == 1
            # stored for confirmation, but not in use; the earlier delivery (if any) stays landed
            assert con.execute("select count(*) from landing.deliveries where status = 'landed' and run_id = 'run0'"
                               ).fetchone()[0] == (1 if case.before else 0)
            return
        assert out.status == "landed", out.reason
        d = con.execute("select rows_delivered, rows_landed, rows_rejected from landing.deliveries "
                        "where delivery_id = ?", [out.sha256]).fetchone()
        assert d[1] + d[2] == d[0]
        raw_table = {"assessments": "hub_assessments", "eyfsp": "eyfsp_results"}.get(out.extract_type, "hub_contacts")
        assert con.execute(f"select count(*) from raw.{raw_table}").fetchone()[0] == d[1]
        if case.landed_rows is not None:
            assert d[1] == case.landed_rows
        ledger = dict(zip(RECONCILIATION_COLUMNS, con.execute(
            "select * from landing.reconciliation where delivery_id = ?", [out.delivery_id]).fetchone(), strict=True))
        # every line of the file is accounted for: landed, rejected or explained
        assert ledger["rows_landed"] + ledger["rows_rejected"] == d[0]
        expected = {"lines_unexplained": 0, **(case.ledger or {})}
        assert {k: ledger[k] for k in expected} == expected, ledger
        assert ledger["lines_physical"] == (
            ledger["lines_heading_block"] + ledger["lines_blank"] + ledger["lines_repeated_heading"]
            + ledger["lines_footer"] + ledger["lines_continuation"] + ledger["lines_other_sheets"]
            + d[0] + ledger["lines_unexplained"])
        rejected = con.execute("select row_number, column_name, reason from landing.rejects order by 1").fetchall()
        if case.outcome == "rejected":
            assert sorted({r[0] for r in rejected}) == case.rows
            assert all(case.message in r[2] for r in rejected), rejected
            if case.column:
                assert {r[1] for r in rejected} == {case.column}
            assert case.message in receipt
        else:
            assert rejected == []
        warnings = [r[0] for r in con.execute("select reason from landing.warnings").fetchall()]
        if case.outcome == "warned":
            assert any(case.message in w for w in warnings), warnings
            assert case.message in receipt
        elif case.outcome == "landed":
            assert warnings == []
            assert d[2] == 0
        for row, values in case.stored.items():
            cols = ", ".join(values)
            assert con.execute(f"select {cols} from raw.hub_contacts where _row_number = ?", [row]).fetchone() == (
                tuple(values.values()))
        if case.not_message:
            assert not any(case.not_message in w for w in warnings), warnings
            assert case.not_message not in receipt
        checks = [r[0] for r in con.execute("select check_name from landing.delivery_checks").fetchall()]
        assert checks == ([case.check] if case.check else [])
    finally:
        con.close()


def test_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    paths, config = setup(tmp_path)
    (paths.incoming / "hackney" / NAME).write_text(csv_text(rows()), encoding="utf-8")
    june = [[*r[:8], r[8].replace("/05/", "/06/"), r[9]] for r in rows(3)]
    (paths.incoming / "hackney" / NAME.replace("2024-05", "2024-06")).write_text(csv_text(june), encoding="utf-8")
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    first = land_all(paths, "run1", KEY, **kw)
    con = duckdb.connect(str(paths.work_db), read_only=True)
    before = con.execute("select count(*) from raw.hub_contacts").fetchone()[0]
    con.close()
    lines: list[str] = []
    second = land_all(paths, "run2", KEY, progress=lines.append, **kw)
    assert [d.status for d in first.deliveries] == ["landed", "landed"]
    assert [d.status for d in second.deliveries] == ["skipped", "skipped"]
    # the files of earlier nights are one progress line, not one each (a London night finds 6,000 of them)
    assert lines == [
        "[2/2] 2 files skipped: these exact bytes were received on an earlier run (2 landed; 1 borough "
        "folder); nothing was changed. Each file's first receipt is in receipts/."
    ]
    con = duckdb.connect(str(paths.work_db), read_only=True)
    assert con.execute("select count(*) from raw.hub_contacts").fetchone()[0] == before == 8
    assert con.execute("select count(*) from landing.deliveries").fetchone()[0] == 2
    con.close()


def test_corrected_resubmission_supersedes(tmp_path: Path) -> None:
    paths, config = setup(tmp_path)
    kw = dict(key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY)
    folder = paths.incoming / "hackney"
    (folder / NAME).write_text(csv_text(rows(3)), encoding="utf-8")
    first = land_all(paths, "run1", KEY, **kw)
    old_mtime = os.path.getmtime(folder / NAME)
    corrected = folder / NAME  # the borough replaces the file with a corrected one of the same name
    corrected.write_text(csv_text([good_row(i) for i in range(1, 5)]), encoding="utf-8")
    os.utime(corrected, (old_mtime + 60,) * 2)
    second = land_all(paths, "run2", KEY, **kw)
    assert [d.status for d in second.deliveries if d.status != "skipped"] == ["landed"]
    con = duckdb.connect(str(paths.work_db), read_only=True)
    hist = con.execute("select source_file, status, superseded_by from landing.deliveries order by loaded_at").fetchall()
    con.close()
    assert hist[0] == (NAME, "superseded", second.landed[0].sha256)
    assert hist[1][1] == "landed"
    assert first.landed[0].sha256 != second.landed[0].sha256
    assert "Replaces" in (paths.receipts / "hackney" / "run2.md").read_text()


def test_bad_file_does_not_stop_others(tmp_path: Path) -> None:
    paths, config = setup(tmp_path)
    (paths.incoming / "hackney" / NAME).write_text("", encoding="utf-8")
    (paths.incoming / "camden").mkdir()
    (paths.incoming / "camden" / "camden_contacts_2024-05.csv").write_text(
        csv_text([[*r[:3], "CAM-H01", *r[4:]] for r in rows()]), encoding="utf-8")
    seen: list[str] = []
    res = land_all(paths, "run1", KEY, key_label="demo", config_dir=config, hubs_csv=tmp_path / "hubs.csv",
                   today=TODAY, progress=seen.append)
    assert sorted(d.status for d in res.deliveries) == ["landed", "quarantined"]
    assert len(seen) == 2
    assert res.rows_landed == 5


def test_catalogue_doc_is_current() -> None:
    """docs/bad-input-catalogue.md is generated from CASES: regenerate with
    ``.venv/bin/python -m tests.badinput.make_doc``."""
    from tests.badinput.make_doc import render

    assert DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python -m tests.badinput.make_doc"
