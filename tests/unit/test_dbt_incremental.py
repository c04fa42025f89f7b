"""Incremental nights give exactly the full-rebuild result (issue 7 item 2).

Builds the incremental models on a tiny hand-made landing (raw tables from the landing contract plus
``landing.deliveries``), then lands a new delivery and resubmissions (which supersede earlier deliveries,
dropping and correcting rows), runs dbt incrementally, then a third night with one new day of contacts
only, and compares every row of every incremental model with a ``--full-refresh`` build of the same
warehouse. The third night must recompute only the quarter its contacts fall in.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from fhub.contracts import CONTRACTS, raw_table_ddl
from fhub.reference import ensure_reference_tables

PROJECT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"

#: The incremental models (and the facts they feed) and the key that orders their rows for comparison.
INCREMENTAL_MODELS = {
    "intermediate.int_hub_contacts_deduplicated": "contact_key",
    "intermediate.int_referrals_deduplicated": "referral_key",
    "intermediate.int_assessments_deduplicated": "assessment_key",
    "marts.fct_hub_contacts": "contact_key",
    "marts.fct_referrals": "referral_key",
    "marts.fct_assessments": "assessment_key",
    "intermediate.int_hub_registrations_deduplicated": "registration_key",
    "intermediate.int_eyfsp_results_deduplicated": "eyfsp_result_key",
    "marts.fct_eyfsp_results": "eyfsp_result_key",
    "intermediate.int_hub_activity_indicators_counted": "metric_id, geography_code, period, breakdown_type, "
    "breakdown_value",
}
SELECTOR = (
    "+fct_hub_contacts +fct_referrals +fct_assessments +int_hub_registrations_deduplicated "
    "+int_hub_activity_indicators_counted +fct_eyfsp_results"
)
#: Financial quarters of the hand-made contacts: Apr-Jun 2024 and Jul-Sep 2024.
Q1, Q2 = "2024/25 Q1", "2024/25 Q2"

DELIVERIES_DDL = """
create table if not exists landing.deliveries (
    delivery_id varchar primary key, borough_code varchar, borough_slug varchar, extract_type varchar,
    period varchar, source_file varchar, sha256 varchar, size_bytes bigint, received_at timestamp,
    loaded_at timestamp, run_id varchar, status varchar, rows_delivered bigint, rows_landed bigint,
    rows_rejected bigint, rows_warned bigint, superseded_by varchar, key_label varchar, delivery_label varchar
)
"""

HACKNEY = ("E09000012", "hackney")
CAMDEN = ("E09000007", "camden")


def create_landing(con: duckdb.DuckDBPyConnection) -> None:
    """Empty raw tables (from the contract) and the delivery log, as the landing engine creates them."""
    con.execute("create schema if not exists raw")
    con.execute("create schema if not exists landing")
    for contract in CONTRACTS.values():
        con.execute(raw_table_ddl(contract))
    con.execute(DELIVERIES_DDL)
    ensure_reference_tables(con)  # empty reference tables: the LSOA denominators are sources too


def land(
    con: duckdb.DuckDBPyConnection,
    extract: str,
    borough: tuple[str, str],
    period: str,
    rows: list[dict],
    loaded_at: datetime,
) -> str:
    """Write one delivery's rows with lineage; a delivery for the same borough × extract × period supersedes."""
    code, slug = borough
    source_file = f"{slug}_{extract}_{period}_{loaded_at:%Y%m%d%H%M}.csv"
    sha = hashlib.sha256(json.dumps([source_file, rows], default=str).encode()).hexdigest()
    contract = CONTRACTS[extract]
    columns = [c.stored_name for c in contract.columns]
    lineage = [
        "_delivery_id",
        "_source_file",
        "_sha256",
        "_borough_code",
        "_extract_type",
        "_period",
        "_row_number",
        "_loaded_at",
        "_run_id",
    ]
    run_id = f"run-{loaded_at:%Y%m%d%H%M}"
    for number, row in enumerate(rows, start=1):
        values = [row.get(c) for c in columns] + [
            sha,
            source_file,
            sha,
            code,
            extract,
            period,
            number,
            loaded_at,
            run_id,
        ]
        placeholders = ", ".join("?" for _ in values)
        names = ", ".join(f'"{n}"' for n in columns + lineage)
        con.execute(f"insert into raw.{contract.raw_table} ({names}) values ({placeholders})", values)
    con.execute(
        "update landing.deliveries set status = 'superseded', superseded_by = ? "
        "where borough_code = ? and extract_type = ? and period = ? and status = 'landed'",
        [sha, code, extract, period],
    )
    con.execute(
        "insert into landing.deliveries values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'landed', ?, ?, 0, 0, null, 'demo', "
        "? || ' ' || ? || ' ' || ? || ' (delivery ' || left(?, 8) || ')')",
        [
            sha,
            code,
            slug,
            extract,
            period,
            source_file,
            sha,
            loaded_at,
            loaded_at,
            run_id,
            len(rows),
            len(rows),
            slug,
            extract,
            period,
            sha,
        ],
    )
    return sha


def contact(
    cid: str,
    person: str,
    day: date,
    attended: bool = True,
    service: str = "stay_and_play",
    hub: str = "HAC-01",
) -> dict:
    return {
        "contact_id": cid,
        "person_key": f"pk-{person}",
        "family_key": f"fk-{person}",
        "hub_id": hub,
        "venue": "hub",
        "service_code": service,
        "delivery_model": "direct",
        "contact_date": day,
        "attended": attended,
    }


def referral(rid: str, person: str, outcome: str, outcome_date: date | None = None) -> dict:
    return {
        "referral_id": rid,
        "person_key": f"pk-{person}",
        "hub_id": "HAC-01",
        "to_service": "early_help",
        "referral_date": date(2024, 5, 2),
        "outcome": outcome,
        "outcome_date": outcome_date,
    }


def assessment(aid: str, person: str, stage: str, score: int) -> dict:
    return {
        "assessment_id": aid,
        "person_key": f"pk-{person}",
        "hub_id": "HAC-01",
        "tool": "swemwbs",
        "stage": stage,
        "assessment_date": date(2024, 5, 9),
        "swemwbs_raw_total": score,
    }


def registration(person: str, registered: date, hub: str = "HAC-01", role: str = "child") -> dict:
    return {
        "person_key": f"pk-{person}",
        "family_key": f"fk-{person}",
        "role": role,
        "hub_id": hub,
        "registration_date": registered,
        "birth_month": date(2021, 3, 1),
        "sex": "female",
    }


ELGS = [c.stored_name for c in CONTRACTS["eyfsp"].columns if c.stored_name.startswith("elg_")]


def eyfsp(pupil: str, year: str, judgement: str = "expected", sex: str = "female") -> dict:
    """One pupil's profile: every ELG judged ``judgement`` (``expected`` gives a GLD)."""
    return {
        "pupil_key": f"pk-{pupil}",
        "academic_year": year,
        "school_urn": "100001",
        "sex": sex,
        "birth_month": date(2018, 11, 1),
        "fsm": False,
        **{elg: judgement for elg in ELGS},
    }


def first_night(con: duckdb.DuckDBPyConnection) -> None:
    t = datetime(2024, 6, 1, 2, 0)
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-05",
        [
            contact("C1", "p1", date(2024, 5, 3)),
            contact("C2", "p2", date(2024, 5, 4), attended=False),
            contact("C2", "p2", date(2024, 5, 4), attended=True),  # the same contact twice: last row wins
            contact("C3", "p3", date(2024, 5, 30)),
            contact("C4", "p4", date(2024, 5, 31)),
        ],
        t,
    )
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-06",
        [
            contact("C3", "p3", date(2024, 5, 30), service="infant_feeding"),  # later file corrects C3
            contact("C5", "p5", date(2024, 6, 3)),
            contact("C6", "p6", date(2024, 6, 4)),
        ],
        datetime(2024, 7, 1, 2, 0),
    )
    land(
        con, "contacts", CAMDEN, "2024-05", [contact("C1", "q1", date(2024, 5, 3), hub="CAM-01")], t
    )  # same id, other borough
    land(
        con,
        "referrals",
        HACKNEY,
        "2024-05",
        [referral("R1", "p1", "pending"), referral("R2", "p2", "pending")],
        t,
    )
    land(
        con,
        "assessments",
        HACKNEY,
        "2024-05",
        [assessment("A1", "p1", "baseline", 20), assessment("A2", "p2", "baseline", 22)],
        t,
    )
    land(
        con,
        "register",
        HACKNEY,
        "2024-05",
        [
            registration("p1", date(2024, 4, 2)),
            registration("p2", date(2024, 4, 3)),
            registration("p2", date(2024, 5, 1), hub="HAC-02"),  # a person listed twice: latest registration
        ],
        t,
    )
    land(
        con,
        "eyfsp",
        HACKNEY,
        "2023/24",
        [
            eyfsp("e1", "2023/24"),
            eyfsp("e2", "2023/24", "emerging"),
            eyfsp("e2", "2023/24", "expected"),  # a pupil listed twice: the last row wins
            eyfsp("e3", "2023/24"),
        ],
        t,
    )
    land(con, "eyfsp", HACKNEY, "2022/23", [eyfsp("e1", "2022/23", "emerging")], t)
    land(con, "eyfsp", CAMDEN, "2023/24", [eyfsp("e1", "2023/24", "emerging")], t)  # same key, other borough


def second_night(con: duckdb.DuckDBPyConnection) -> None:
    t = datetime(2024, 8, 1, 2, 0)
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-07",
        [
            contact("C7", "p7", date(2024, 7, 1)),
            contact("C1", "p1", date(2024, 5, 3), attended=False),  # correction of an older contact
        ],
        t,
    )
    # Resubmission of 2024-05: supersedes the first file; C4 is withdrawn, C2 corrected.
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-05",
        [
            contact("C1", "p1", date(2024, 5, 3)),
            contact("C2", "p2", date(2024, 5, 4), service="youth"),
            contact("C3", "p3", date(2024, 5, 30)),
        ],
        datetime(2024, 8, 1, 3, 0),
    )
    # Resubmission of 2024-06 without C5 and C3: C5 disappears, C3 falls back to the 2024-05 resubmission.
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-06",
        [contact("C6", "p6", date(2024, 6, 4), attended=False)],
        datetime(2024, 8, 1, 4, 0),
    )
    land(con, "referrals", HACKNEY, "2024-07", [referral("R2", "p2", "accepted", date(2024, 7, 3))], t)
    land(con, "assessments", HACKNEY, "2024-05", [assessment("A1", "p1", "baseline", 21)], t)  # A2 withdrawn
    land(con, "register", HACKNEY, "2024-05", [registration("p2", date(2024, 4, 3))], t)  # p1 withdrawn
    land(con, "register", HACKNEY, "2024-07", [registration("p3", date(2024, 7, 2))], t)
    # Resubmission of 2023/24: e3 withdrawn, e2 corrected (no longer a GLD); a new year for e4.
    land(
        con,
        "eyfsp",
        HACKNEY,
        "2023/24",
        [eyfsp("e1", "2023/24"), eyfsp("e2", "2023/24", "emerging", sex="male")],
        datetime(2024, 8, 1, 5, 0),
    )
    land(con, "eyfsp", HACKNEY, "2024/25", [eyfsp("e4", "2024/25")], t)


def third_night(con: duckdb.DuckDBPyConnection) -> None:
    """One new day of contacts, all in Q2: nothing else changes."""
    land(
        con,
        "contacts",
        HACKNEY,
        "2024-08",
        [contact("C8", "p8", date(2024, 8, 5)), contact("C9", "p2", date(2024, 8, 6), service="youth")],
        datetime(2024, 8, 7, 2, 0),
    )


def dbt(tmp: Path, *args: str, db: Path | None = None, rebuild: str = "") -> dict:
    env = {
        **os.environ,
        "FHUB_REBUILD_MODELS": rebuild,
        "FHUB_WORK_DB": str(db or tmp / "warehouse.duckdb"),
        "FHUB_DUCKDB_TEMP_DIR": str(tmp / "duckdb-tmp"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cmd = [
        str(DBT),
        "run",
        "--project-dir",
        str(PROJECT),
        "--profiles-dir",
        str(PROJECT / "profiles"),
        "--target-path",
        str(tmp / "target"),
        "--log-path",
        str(tmp / "logs"),
        "--select",
        SELECTOR,
        *args,
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return json.loads((tmp / "target" / "run_results.json").read_text())


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            model: con.execute(f"select * from {model} order by {key}").fetchall()
            for model, key in INCREMENTAL_MODELS.items()
        }


def compiled(run_results: dict, model: str) -> str:
    for result in run_results["results"]:
        if result["unique_id"] == f"model.family_hubs.{model}":
            return result.get("compiled_code") or ""
    raise AssertionError(f"{model} did not run")


def hub_activity(db: Path, period: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select metric_id, geography_code, breakdown_value, numerator, denominator "
            "from intermediate.int_hub_activity_indicators_counted where period = ? order by all",
            [period],
        ).fetchall()


@pytest.mark.skipif(not DBT.exists(), reason="dbt is not installed in this environment")
def test_incremental_night_equals_full_refresh(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    (tmp_path / "duckdb-tmp").mkdir()
    with duckdb.connect(str(db)) as con:
        create_landing(con)
        first_night(con)
    dbt(tmp_path)
    before = snapshot(db)

    with duckdb.connect(str(db)) as con:
        second_night(con)
    incremental_run = dbt(tmp_path)
    second = snapshot(db)
    # The second run really was incremental (not a silent rebuild).
    for model in (
        "int_hub_contacts_deduplicated",
        "int_referrals_deduplicated",
        "int_assessments_deduplicated",
        "int_hub_registrations_deduplicated",
        "int_eyfsp_results_deduplicated",
    ):
        assert "changed_deliveries" in compiled(incremental_run, model), model
    assert "changed_periods" in compiled(incremental_run, "int_hub_activity_indicators_counted")
    for model in INCREMENTAL_MODELS:
        assert second[model] != before[model], f"{model}: the second night changed nothing"
    q2_before = hub_activity(db, Q2)

    # Third night: one day of contacts in Q2. Q1's counts must be left as they are (not recomputed): a
    # marker written into Q1's rows of a copy survives the copy's incremental build, while Q2 is updated.
    with duckdb.connect(str(db)) as con:
        third_night(con)
    marked = tmp_path / "marked" / "warehouse.duckdb"
    (marked.parent / "duckdb-tmp").mkdir(parents=True)
    shutil.copyfile(db, marked)
    with duckdb.connect(str(marked)) as con:
        con.execute(
            "update intermediate.int_hub_activity_indicators_counted set numerator = -1 where period = ?", [Q1]
        )
    dbt(tmp_path / "marked", db=marked)
    assert {row[3] for row in hub_activity(marked, Q1)} == {-1.0}, "an untouched quarter was recomputed"

    dbt(tmp_path)
    incremental = snapshot(db)
    assert hub_activity(marked, Q2) == hub_activity(db, Q2)
    assert hub_activity(db, Q2) != q2_before, "the third night's contacts did not reach Q2"

    dbt(tmp_path, "--full-refresh")
    full = snapshot(db)

    for model in INCREMENTAL_MODELS:
        assert incremental[model] == full[model], model

    # A model named in FHUB_REBUILD_MODELS (its definition changed: fhub/dbt/rebuild.py) is rebuilt from scratch
    # on an ordinary night; the others stay incremental.
    named = dbt(tmp_path, rebuild="int_referrals_deduplicated, int_eyfsp_results_deduplicated")
    assert "changed_deliveries" not in compiled(named, "int_referrals_deduplicated")
    assert "changed_deliveries" not in compiled(named, "int_eyfsp_results_deduplicated")
    assert "changed_deliveries" in compiled(named, "int_hub_contacts_deduplicated")
    assert snapshot(db) == full

    with duckdb.connect(str(db), read_only=True) as con:
        contacts = dict(
            con.execute(
                "select c.hub_id || ':' || r.contact_id, c.service_code from marts.fct_hub_contacts c "
                "join raw.hub_contacts r on c._delivery_id = r._delivery_id "
                "and c.contact_key = md5(concat_ws('|', r._borough_code, r.contact_id)) "
                "where c.borough_code = 'E09000012'"
            ).fetchall()
        )
        assert sorted(contacts) == [f"HAC-01:C{i}" for i in (1, 2, 3, 6, 7, 8, 9)]
        assert contacts["HAC-01:C2"] == "youth"
        assert con.execute("select count(*) from marts.fct_hub_contacts").fetchone()[0] == 8
        outcomes = con.execute(
            "select outcome from marts.fct_referrals order by referral_date, outcome"
        ).fetchall()
        assert sorted(outcomes) == [("accepted",), ("pending",)]
        people = con.execute(
            "select person_key, hub_id from intermediate.int_hub_registrations_deduplicated order by person_key"
        ).fetchall()
        assert people == [("pk-p2", "HAC-01"), ("pk-p3", "HAC-01")]
        pupils = con.execute(
            "select borough_code, person_key, academic_year, sex, is_gld from marts.fct_eyfsp_results order by all"
        ).fetchall()
        assert pupils == [
            ("E09000007", "pk-e1", "2023/24", "female", False),
            ("E09000012", "pk-e1", "2022/23", "female", False),
            ("E09000012", "pk-e1", "2023/24", "female", True),
            ("E09000012", "pk-e2", "2023/24", "male", False),  # corrected by the resubmission
            ("E09000012", "pk-e4", "2024/25", "female", True),
        ]  # e3 was withdrawn by the resubmission
