"""Originals at rest: delivered files leave incoming/ once recorded (waiting ones stay), stored originals are
encrypted and opened only to a new private file with a ledger row, purged after the retention period with a
ledger row, and plaintext originals from an older version are encrypted."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat

import duckdb
import pytest

from fhub.landing import land_all, open_work_db
from fhub.landing.archive import archive_path
from fhub.landing.incoming import incoming_policy
from fhub.privacy.originals import (
    encrypt_plaintext_originals,
    find_original,
    open_original,
    purge_expired,
    retention_days,
    stored_originals,
)
from fhub.privacy.vault import OriginalsKey, is_encrypted
from tests.badinput.fixtures import KEY, TODAY, csv_text, good_row, setup

KEY2 = OriginalsKey.from_secret("unit-test originals key", "env")


def _deliver(tmp_path):
    paths, config = setup(tmp_path)
    hackney = paths.incoming / "hackney"
    (hackney / "hackney_contacts_2024-05.csv").write_text(csv_text([good_row(i) for i in range(1, 6)]))
    (hackney / "hackney_contacts_2024-06.csv").write_text("")  # 0 bytes: quarantined
    (hackney / "hackney_something_else.csv").write_text("x\n1\n")  # no agreed name: quarantined
    (paths.incoming / "lambeth").mkdir()
    (paths.incoming / "lambeth" / "lambeth_contacts_2024-05.csv").write_text("a\n1\n")  # no mapping: waiting
    kw = dict(key_label="env", config_dir=config, hubs_csv=tmp_path / "hubs.csv", today=TODAY, originals_key=KEY2)
    return paths, kw


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_recorded_files_leave_incoming_waiting_ones_stay(tmp_path):
    paths, kw = _deliver(tmp_path)
    landed = paths.incoming / "hackney" / "hackney_contacts_2024-05.csv"
    content = landed.read_bytes()
    result = land_all(paths, "run1", KEY, incoming_after="remove", **kw)
    statuses = sorted((d.source_file, d.status) for d in result.deliveries)
    assert [s for _, s in statuses] == ["landed", "quarantined", "quarantined", "waiting"]
    assert _names(paths.incoming / "hackney") == []
    assert _names(paths.incoming / "lambeth") == ["lambeth_contacts_2024-05.csv"]
    assert len(result.removed_from_incoming) == 3
    # the same bytes delivered again are skipped, and leave incoming/ too
    landed.write_bytes(content)
    again = land_all(paths, "run2", KEY, incoming_after="remove", **kw)
    assert [d.status for d in again.deliveries if d.borough_slug == "hackney"] == ["skipped"]
    assert _names(paths.incoming / "hackney") == []
    # the originals are all kept, encrypted
    stored = stored_originals(paths)
    assert {s.location for s in stored} == {"archive", "quarantine"}
    assert all(is_encrypted(s.path) for s in stored)


def test_keep_policy_and_changed_files_stay(tmp_path):
    paths, kw = _deliver(tmp_path)
    land_all(paths, "run1", KEY, incoming_after="keep", **kw)
    assert len(_names(paths.incoming / "hackney")) == 3
    with pytest.raises(ValueError, match="FHUB_INCOMING_AFTER_LANDING"):
        incoming_policy("delete-everything")
    assert incoming_policy(None) == "remove"


def test_real_key_never_falls_back_to_the_demo_key(tmp_path):
    from fhub.pseudonymise import MissingKeyError

    paths, kw = _deliver(tmp_path)
    kw.pop("originals_key")
    with pytest.raises(MissingKeyError):
        land_all(paths, "run1", KEY, **kw)


def test_open_an_original_to_a_private_file_with_a_ledger_row(tmp_path):
    paths, kw = _deliver(tmp_path)
    src = paths.incoming / "hackney" / "hackney_contacts_2024-05.csv"
    content = src.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    land_all(paths, "run1", KEY, incoming_after="remove", **kw)
    con = open_work_db(paths)
    try:
        quarantined = con.execute("select delivery_id from landing.quarantine order by 1").fetchall()
        dest = tmp_path / "opened" / "x.csv"
        found = open_original(paths, con, sha, dest, KEY2, purpose="resolve a query from Hackney")
        assert found.location == "archive" and dest.read_bytes() == content
        assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
        q = open_original(paths, con, quarantined[0][0], tmp_path / "q.bin", KEY2)
        assert q.location == "quarantine"
        with pytest.raises(FileNotFoundError, match="never received"):
            find_original(paths, "ab" * 32, con)
        with pytest.raises(FileNotFoundError):
            find_original(paths, "../../etc/passwd", con)
        rows = con.execute("select delivery_id, location, purpose from landing.originals_opened "
                           "order by opened_at").fetchall()
    finally:
        con.close()
    assert rows == [(sha, "archive", "resolve a query from Hackney"), (quarantined[0][0], "quarantine", None)]


def test_purge_after_the_retention_period_with_a_ledger_row(tmp_path):
    paths, kw = _deliver(tmp_path)
    land_all(paths, "run1", KEY, incoming_after="remove", **kw)
    con = open_work_db(paths)
    try:
        con.execute("update landing.deliveries set loaded_at = loaded_at - interval 401 day "
                    "where status = 'landed'")
        now = dt.datetime.now()
        result = purge_expired(con, paths, "run2", 400, now=now)
        assert [p.location for p in result.purged] == ["archive"] and result.kept == 5  # incl. the waiting file
        ledger = con.execute("select delivery_id, borough_code, extract_type, period, location, retention_days, "
                             "run_id from landing.originals_purged").fetchall()
        # a year later, everything goes
        later = purge_expired(con, paths, "run3", 400, now=now + dt.timedelta(days=500))
    finally:
        con.close()
    assert ledger == [(result.purged[0].path.name[:64], "E09000012", "contacts", "2024-05", "archive", 400, "run2")]
    assert len(later.purged) == 5 and stored_originals(paths) == []
    assert _names(paths.quarantine) == []
    assert retention_days("") == 400 and retention_days("30") == 30
    with pytest.raises(ValueError):
        retention_days("0")


def test_plaintext_originals_from_an_older_version_are_encrypted(tmp_path):
    paths, _ = _deliver(tmp_path)
    content = b"NHS Number,Name\n9434765919,Amelia Smith\n"
    sha = hashlib.sha256(content).hexdigest()
    (paths.archive / sha[:2]).mkdir(parents=True)
    (paths.archive / sha[:2] / sha).write_bytes(content)
    old_q = paths.quarantine / sha
    old_q.mkdir(parents=True)
    (old_q / "9434765919 Amelia Smith.csv").write_bytes(content)
    (old_q / "reason.txt").write_text("File: 9434765919 Amelia Smith.csv\nSHA-256: x\n\nWhy it could not be landed:\n")
    (paths.work_dir / "landing-tmp" / "abc").mkdir(parents=True)
    (paths.work_dir / "landing-tmp" / "abc" / "sheet.csv").write_bytes(content)
    assert encrypt_plaintext_originals(paths, KEY2) == 2
    assert _names(paths.archive / sha[:2]) == [f"{sha}.fenc"]
    assert _names(old_q) == ["original.fenc", "reason.txt"]
    assert "Amelia" not in (old_q / "reason.txt").read_text()
    assert not (paths.work_dir / "landing-tmp").exists()
    for path in (archive_path(paths.archive, sha), old_q / "original.fenc"):
        assert is_encrypted(path) and b"Amelia" not in path.read_bytes()
    dest = tmp_path / "back.csv"
    con = duckdb.connect(str(paths.work_db))
    try:
        from fhub.landing.ddl import ensure_landing_schema

        ensure_landing_schema(con)
        open_original(paths, con, sha, dest, KEY2)
    finally:
        con.close()
    assert dest.read_bytes() == content
