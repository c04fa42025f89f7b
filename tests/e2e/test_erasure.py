"""Erasure end to end (issue 13, point 6): ``fhub forget`` removes one child of one borough from the raw tables,
the marts (after the rebuild it runs) and the encrypted originals; everyone else's rows stay; the ledger holds
no id; ``fhub archive open`` decrypts an original for an authorised user, privately."""

from __future__ import annotations

import csv
import io
import os
import stat
from collections import Counter

import duckdb
import pytest

from fhub.landing.archive import archive_path
from fhub.privacy.vault import OriginalsKey, decrypt_stream
from fhub.pseudonymise import DEMO_KEY, keyed_hash
from tests.e2e.harness import copy_state, fhub

pytestmark = pytest.mark.e2e

HACKNEY = "E09000012"
FACTS = ("fct_hub_contacts", "fct_hub_registrations", "fct_eyfsp_results", "fct_referrals", "fct_assessments")


def _ids(sent, pattern: str, column: str) -> Counter:
    found: Counter = Counter()
    for path in (sent / "hackney").glob(pattern):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            found[row[column]] += 1
    return found


def _counts(db, key: str) -> dict[str, tuple[int, int]]:
    """table -> (rows of the key in Hackney, all rows)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for schema, table, col, borough in (
            [("raw", t, c, "_borough_code") for t, c in (("hub_register", "person_key"),
                                                          ("hub_contacts", "person_key"),
                                                          ("eyfsp_results", "pupil_key"))]
            + [("marts", t, "person_key", "borough_code") for t in FACTS]
        ):
            out[f"{schema}.{table}"] = con.execute(
                f"select count(*) filter (where {col} = ? and {borough} = ?), count(*) from {schema}.{table}",
                [key, HACKNEY]).fetchone()
        return out
    finally:
        con.close()


def _plain(path) -> str:
    out = io.BytesIO()
    with open(path, "rb") as fh:
        decrypt_stream(fh, out, OriginalsKey.demo())
    return out.getvalue().decode("utf-8-sig", errors="replace")


def test_forget_one_child_everywhere_and_nobody_else(baseline, prefect_server, tmp_path):
    sent = baseline["sent"]
    eyfsp = _ids(sent, "hackney_eyfsp_*.csv", "PupilID")
    contacts = _ids(sent, "hackney_contacts_*.csv", "ClientID")
    register = _ids(sent, "hackney_register_*.csv", "ClientID")
    child = next(i for i in sorted(eyfsp) if contacts[i] >= 2 and register[i])
    other = next(i for i in sorted(eyfsp) if i != child and contacts[i] and register[i])
    data = copy_state(baseline["data"], tmp_path / "data")
    key = keyed_hash(DEMO_KEY.encode(), child)
    before = _counts(data / "work" / "warehouse.duckdb", key)
    assert before["raw.hub_contacts"][0] >= 2 and before["raw.eyfsp_results"][0] >= 1
    assert before["marts.fct_hub_contacts"][0] >= 2 and before["marts.fct_eyfsp_results"][0] >= 1

    result = fhub(data, "forget", "--borough", "hackney", "--person-id", child, "--reference", "SAR-17",
                  server=prefect_server)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "erasure" in result.stdout and "published: yes" in result.stdout

    after = _counts(data / "work" / "warehouse.duckdb", key)
    for table, (mine, total) in before.items():
        assert after[table][0] == 0, f"{table} still holds the child's rows"
        if table.startswith("raw.") or table in ("marts.fct_hub_contacts", "marts.fct_eyfsp_results"):
            assert after[table][1] == total - mine, f"{table}: someone else's rows changed"
    con = duckdb.connect(str(data / "work" / "warehouse.duckdb"), read_only=True)
    try:
        ledger = con.execute("select borough_code, reference, raw_rows_removed, originals_rewritten "
                             "from landing.erasures").fetchall()
        shas = [r[0] for r in con.execute("select distinct sha256 from landing.deliveries "
                                          "where borough_code = ?", [HACKNEY]).fetchall()]
        changes = con.execute("select count(*) from landing.original_changes").fetchone()[0]
        ledgers = repr(con.execute("select * from landing.erasures, landing.original_changes").fetchall())
        delivery = con.execute("select delivery_id from landing.deliveries where borough_code = ? and "
                               "extract_type = 'eyfsp' order by period limit 1", [HACKNEY]).fetchone()[0]
    finally:
        con.close()
    raw_removed = sum(before[t][0] for t in before if t.startswith("raw."))
    assert ledger[0][:3] == (HACKNEY, "SAR-17", raw_removed) and ledger[0][3] == changes >= 3
    assert child not in ledgers and key not in ledgers
    texts = [_plain(archive_path(data / "archive", sha)) for sha in shas
             if archive_path(data / "archive", sha).exists()]
    assert texts and not [t for t in texts if child in t]
    assert any(other in t for t in texts)  # everyone else's rows are still in the originals

    opened = tmp_path / "opened.csv"
    result = fhub(data, "archive", "open", delivery, "--to", str(opened), "--purpose", "check the erasure")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(opened).st_mode) == 0o600
    assert child not in opened.read_text(encoding="utf-8-sig") and "PupilID" in opened.read_text(encoding="utf-8-sig")
