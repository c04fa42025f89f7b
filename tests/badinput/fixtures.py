"""Shared fixture builders for landing tests: a minimal borough mapping (documented YAML format), a hub list
and a contacts CSV writer. Everything is generated in a temporary folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from fhub.contracts import ELG_COLUMNS
from fhub.settings import Paths

KEY = b"test-key-not-secret"
TODAY = dt.date(2024, 12, 31)
HEADERS = ["ContactRef", "ClientID", "FamilyID", "HubCode", "Venue", "Service", "Model", "Partner",
           "ContactDate", "Attended"]
HUBS_CSV = ("hub_id,hub_name,borough_code,lsoa_code,opened_on\n"
            "HAC-H01,Hackney Central,E09000012,E01000001,2023-01-01\n"
            "HAC-OUT,Hackney outreach,E09000012,,2023-01-01\n"
            "CAM-H01,Camden Town,E09000007,E01000002,2023-01-01\n")

CONTACTS_SPEC = {
    "extract": "contacts",
    "pattern": r"^hackney_contacts_(?P<period>\d{4}-\d{2})\.csv$",
    "period_format": "month",
    "format": "csv",
    "delimiter": ",",
    "encoding": "utf-8",
    "header_row": 1,
    "date_format": "%d/%m/%Y",
    "columns": {"contact_id": "ContactRef", "person_id": "ClientID", "family_id": "FamilyID",
                "hub_id": "HubCode", "venue": "Venue", "service_code": "Service", "delivery_model": "Model",
                "partner_name": "Partner", "contact_date": "ContactDate", "attended": "Attended"},
    "values": {"attended": {"Y": True, "N": False}, "service_code": {"IF": "infant_feeding",
                                                                   "SP": "stay_and_play"}},
    "ignore_columns": ["Notes"],
}


ASSESSMENT_HEADERS = ["AssessmentRef", "ClientID", "HubCode", "Tool", "Stage", "AssessmentDate", "AgeMonths",
                      "SWEMWBS"]
ASSESSMENTS_SPEC = {
    "extract": "assessments",
    "pattern": r"^hackney_assessments_(?P<period>\d{4}-\d{2})\.csv$",
    "period_format": "month", "format": "csv", "delimiter": ",", "encoding": "utf-8", "header_row": 1,
    "date_format": "%d/%m/%Y",
    "columns": {"assessment_id": "AssessmentRef", "person_id": "ClientID", "hub_id": "HubCode", "tool": "Tool",
                "stage": "Stage", "assessment_date": "AssessmentDate", "age_months": "AgeMonths",
                "swemwbs_raw_total": "SWEMWBS"},
    "values": {"tool": {"ASQ": "asq3", "SW": "swemwbs"}},
}
#: the agreed EYFSP headings: pupil, year, birth month and the 17 ELGs (one with 'and' in its name)
ELG_HEADINGS = {elg: f"ELG{i:02d}" for i, elg in enumerate(ELG_COLUMNS, start=1)}
ELG_HEADINGS["elg_people_culture_and_communities"] = "People, culture and communities"
EYFSP_HEADERS = ["Pupil", "Year", "Born", *ELG_HEADINGS.values()]
EYFSP_FULL_SPEC = {
    "extract": "eyfsp",
    "pattern": r"^hackney_eyfsp_(?P<period>\d{4}-\d{2})\.csv$",
    "period_format": "academic_year", "format": "csv", "delimiter": ",", "encoding": "utf-8", "header_row": 1,
    "date_format": "%d/%m/%Y",
    "columns": {"pupil_id": "Pupil", "academic_year": "Year", "birth_month": "Born", **ELG_HEADINGS},
    "values": {elg: {"1": "emerging", "2": "expected"} for elg in ELG_COLUMNS},
}


def assessment_row(i: int, age: str = "30", month: int = 5) -> list[str]:
    return [f"A{i:06d}", f"P{i:05d}", "HAC-H01", "ASQ", "baseline", f"{1 + i % 28:02d}/{month:02d}/2024", age, ""]


def eyfsp_row(i: int, judgements: str = "2") -> list[str]:
    """A Reception pupil of 2023/24 (born 2018/19) with every ELG judged (2 = expected)."""
    return [f"U{i:05d}", "2023/24", f"01/{1 + i % 12:02d}/{2018 if 1 + i % 12 >= 9 else 2019}",
            *([judgements] * len(ELG_COLUMNS))]


def good_row(i: int, month: int = 5) -> list[str]:
    """A valid contacts row dated in ``month`` of 2024 (the period of the file it goes in)."""
    return [f"C{i:06d}", f"P{i % 97:05d}", f"F{i % 50:04d}", "HAC-H01", "hub", "IF" if i % 2 else "SP",
            "direct", "", f"{1 + i % 28:02d}/{month:02d}/2024", "Y" if i % 3 else "N"]


def setup(tmp: Path, spec_overrides: dict | None = None, extra_specs: list[dict] | None = None) -> tuple[Paths, Path]:
    """Data root + config dir with a Hackney mapping. Returns (paths, config_dir)."""
    paths = Paths(project=tmp / "project", data=tmp / "data").ensure()
    config = tmp / "config"
    config.mkdir(parents=True, exist_ok=True)
    spec = {**CONTACTS_SPEC, **(spec_overrides or {})}
    doc = {"borough_code": "E09000012", "borough_name": "Hackney", "slug": "hackney", "dialect": "test",
           "files": [spec, *(extra_specs or [])]}
    (config / "hackney.yml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    cam = {"borough_code": "E09000007", "borough_name": "Camden", "slug": "camden", "files": [
        {**CONTACTS_SPEC, "pattern": r"^camden_contacts_(?P<period>\d{4}-\d{2})\.csv$"}]}
    (config / "camden.yml").write_text(yaml.safe_dump(cam, sort_keys=False), encoding="utf-8")
    (tmp / "hubs.csv").write_text(HUBS_CSV, encoding="utf-8")
    (paths.incoming / "hackney").mkdir(parents=True, exist_ok=True)
    return paths, config


def csv_text(rows: list[list[str]], headers: list[str] = HEADERS, delim: str = ",", eol: str = "\n") -> str:
    def q(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in (delim, '"', "\n", "\r")) else v
    return "".join(delim.join(q(v) for v in r) + eol for r in [headers, *rows])
