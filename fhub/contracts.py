"""The landing contract: one per extract type.

Every borough file, whatever its dialect, is mapped (by ``config/boroughs/<slug>.yml``) onto exactly these
columns before anything is written. The raw tables in the work warehouse are the contract columns, with
identifier columns replaced by keyed hashes, plus the lineage columns in :data:`LINEAGE_COLUMNS`.

Column kinds:

* ``identifier`` – a person or family identifier. Never stored: it becomes ``<name minus _id>_key``
  (HMAC-SHA256, see :mod:`fhub.pseudonymise`).
* ``text`` / ``code`` – free text / a value that must be in ``allowed``.
* ``date`` – a calendar date. ``month`` – a date truncated to the first of the month (birth month).
* ``boolean``, ``integer``, ``decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ELG_COLUMNS: tuple[str, ...] = (
    # Communication and Language
    "elg_listening_attention_understanding",
    "elg_speaking",
    # Personal, Social and Emotional Development
    "elg_self_regulation",
    "elg_managing_self",
    "elg_building_relationships",
    # Physical Development
    "elg_gross_motor_skills",
    "elg_fine_motor_skills",
    # Literacy
    "elg_comprehension",
    "elg_word_reading",
    "elg_writing",
    # Mathematics
    "elg_number",
    "elg_numerical_patterns",
    # Understanding the World
    "elg_past_and_present",
    "elg_people_culture_and_communities",
    "elg_the_natural_world",
    # Expressive Arts and Design
    "elg_creating_with_materials",
    "elg_being_imaginative_and_expressive",
)

#: Area of learning for each ELG (seeded as ``seeds/framework/eyfs_elgs.csv`` too).
ELG_AREAS: dict[str, str] = {
    "elg_listening_attention_understanding": "communication_and_language",
    "elg_speaking": "communication_and_language",
    "elg_self_regulation": "personal_social_emotional",
    "elg_managing_self": "personal_social_emotional",
    "elg_building_relationships": "personal_social_emotional",
    "elg_gross_motor_skills": "physical_development",
    "elg_fine_motor_skills": "physical_development",
    "elg_comprehension": "literacy",
    "elg_word_reading": "literacy",
    "elg_writing": "literacy",
    "elg_number": "mathematics",
    "elg_numerical_patterns": "mathematics",
    "elg_past_and_present": "understanding_the_world",
    "elg_people_culture_and_communities": "understanding_the_world",
    "elg_the_natural_world": "understanding_the_world",
    "elg_creating_with_materials": "expressive_arts_and_design",
    "elg_being_imaginative_and_expressive": "expressive_arts_and_design",
}

#: The 12 ELGs that make up a Good Level of Development (prime areas + literacy + mathematics).
GLD_ELGS: tuple[str, ...] = tuple(
    elg
    for elg, area in ELG_AREAS.items()
    if area
    in {
        "communication_and_language",
        "personal_social_emotional",
        "physical_development",
        "literacy",
        "mathematics",
    }
)

SEX = ("female", "male", "other", "unknown")
ETHNICITY_GROUP = ("asian", "black", "mixed", "white", "other", "unknown")
FIRST_LANGUAGE = ("english", "other", "unknown")
ROLE = ("child", "young_person", "parent_carer", "expectant_parent")
DELIVERY_MODEL = ("direct", "commissioned")
VENUE = ("hub", "outreach", "virtual")
SERVICE = (
    "infant_feeding",
    "perinatal_mental_health",
    "parent_infant_relationships",
    "parenting_programme",
    "early_language_home_learning",
    "stay_and_play",
    "health_visiting_review",
    "send_support",
    "youth",
    "welfare_money_advice",
    "domestic_abuse_support",
    "birth_registration",
)
REFERRAL_TO = (
    "early_help",
    "childrens_social_care",
    "perinatal_mental_health",
    "speech_language_therapy",
    "camhs",
    "housing",
    "health_visiting",
    "send",
    "domestic_abuse",
    "welfare_advice",
    "other",
)
REFERRAL_OUTCOME = ("accepted", "declined", "no_further_action", "pending")
ASSESSMENT_TOOL = ("asq3", "swemwbs")
ASSESSMENT_STAGE = ("baseline", "review", "exit")
SEN_PROVISION = ("none", "sen_support", "ehc_plan", "unknown")
ELG_JUDGEMENT = ("emerging", "expected")


#: Text columns that are row keys or references, never free text: a value holding anything identifier-like
#: rejects the row (other text columns are blanked with a warning; declared free text is scrubbed or dropped).
REFERENCE_TEXT_COLUMNS = frozenset(
    {"contact_id", "referral_id", "assessment_id", "hub_id", "academic_year", "school_urn"}
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # identifier | text | code | date | month | boolean | integer | decimal
    required: bool = False
    allowed: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    description: str = ""

    @property
    def stored_name(self) -> str:
        """Name in the raw table: identifiers are stored as keys (``person_id`` -> ``person_key``)."""
        if self.kind == "identifier":
            return self.name.removesuffix("_id") + "_key"
        return self.name


@dataclass(frozen=True)
class Contract:
    extract: str  # register | contacts | referrals | assessments | eyfsp
    raw_table: str  # table in schema ``raw``
    grain: str
    key: tuple[str, ...]  # business key within one borough (contract names, before hashing)
    columns: tuple[Column, ...]
    #: Columns that must never reach the warehouse even if a borough sends them; dropped at landing
    #: with a warning on the receipt.
    forbidden: tuple[str, ...] = field(
        default=("nhs_number", "upn", "name", "first_name", "last_name", "surname", "address", "postcode")
    )
    #: The column whose date says which period a row belongs to (period integrity, see
    #: :mod:`fhub.landing.periods`), and how rows relate to the period in the file name: ``period`` (the
    #: date falls in it, give or take the file spec's tolerance) or ``up_to_end`` (on or before its end, e.g.
    #: a register that lists earlier registrations too).
    event_date: str | None = None
    event_window: str = "period"
    #: A text column holding the row's period itself (EYFSP: ``academic_year``, written 2023/24).
    period_column: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _c(name: str, kind: str, required: bool = False, **kw) -> Column:
    return Column(name=name, kind=kind, required=required, **kw)


CONTRACTS: dict[str, Contract] = {
    "register": Contract(
        extract="register",
        raw_table="hub_register",
        grain="one row per person registered with a hub (latest registration in the delivery)",
        key=("person_id",),
        event_date="registration_date",
        event_window="up_to_end",
        columns=(
            _c("person_id", "identifier", True, description="Borough's own person id, NHS number or UPN"),
            _c("family_id", "identifier", description="Borough's own family id"),
            _c("role", "code", True, allowed=ROLE),
            _c("birth_month", "month", description="Month of birth, or expected due month"),
            _c("sex", "code", allowed=SEX),
            _c("ethnicity_group", "code", allowed=ETHNICITY_GROUP),
            _c("home_lsoa", "text", description="LSOA 2011 code of home address, e.g. E01000001"),
            _c("send_flag", "boolean"),
            _c("first_language", "code", allowed=FIRST_LANGUAGE),
            _c("registration_date", "date", True),
            _c("hub_id", "text", True, description="Registering hub, as in seeds/reference/family_hubs.csv"),
            _c("consent_data_sharing", "boolean"),
        ),
    ),
    "contacts": Contract(
        extract="contacts",
        raw_table="hub_contacts",
        grain="one row per contact (attendance or service contact, attended or not)",
        key=("contact_id",),
        event_date="contact_date",
        columns=(
            _c("contact_id", "text", True),
            _c("person_id", "identifier", True),
            _c("family_id", "identifier"),
            _c("hub_id", "text", True),
            _c("venue", "code", allowed=VENUE),
            _c("service_code", "code", True, allowed=SERVICE),
            _c("delivery_model", "code", True, allowed=DELIVERY_MODEL),
            _c("partner_name", "text"),
            _c("contact_date", "date", True),
            _c("attended", "boolean", True),
        ),
    ),
    "referrals": Contract(
        extract="referrals",
        raw_table="hub_referrals",
        grain="one row per referral from a hub to another service",
        key=("referral_id",),
        event_date="referral_date",
        columns=(
            _c("referral_id", "text", True),
            _c("person_id", "identifier", True),
            _c("family_id", "identifier"),
            _c("hub_id", "text", True),
            _c("to_service", "code", True, allowed=REFERRAL_TO),
            _c("referral_date", "date", True),
            _c("outcome", "code", True, allowed=REFERRAL_OUTCOME),
            _c("outcome_date", "date"),
        ),
    ),
    "assessments": Contract(
        extract="assessments",
        raw_table="hub_assessments",
        grain="one row per assessment (one tool, one stage, one person, one date)",
        key=("assessment_id",),
        event_date="assessment_date",
        columns=(
            _c("assessment_id", "text", True),
            _c("person_id", "identifier", True),
            _c("hub_id", "text", True),
            _c("tool", "code", True, allowed=ASSESSMENT_TOOL),
            _c("stage", "code", True, allowed=ASSESSMENT_STAGE),
            _c("assessment_date", "date", True),
            _c("age_months", "integer", min_value=0, max_value=72),
            _c("asq_communication", "decimal", min_value=0, max_value=60),
            _c("asq_gross_motor", "decimal", min_value=0, max_value=60),
            _c("asq_fine_motor", "decimal", min_value=0, max_value=60),
            _c("asq_problem_solving", "decimal", min_value=0, max_value=60),
            _c("asq_personal_social", "decimal", min_value=0, max_value=60),
            _c("swemwbs_raw_total", "integer", min_value=7, max_value=35),
        ),
    ),
    "eyfsp": Contract(
        extract="eyfsp",
        raw_table="eyfsp_results",
        grain="one row per pupil per academic year (end of Reception)",
        key=("pupil_id", "academic_year"),
        period_column="academic_year",
        columns=(
            _c("pupil_id", "identifier", True, description="Same id space as hub person_id for linkage"),
            _c("academic_year", "text", True, description="Written 2023/24"),
            _c("school_urn", "text"),
            _c("sex", "code", allowed=SEX),
            _c("birth_month", "month", True),
            _c("fsm", "boolean"),
            _c("sen_provision", "code", allowed=SEN_PROVISION),
            _c("first_language", "code", allowed=FIRST_LANGUAGE),
            _c("ethnicity_group", "code", allowed=ETHNICITY_GROUP),
            _c("home_lsoa", "text"),
            *(_c(elg, "code", allowed=ELG_JUDGEMENT) for elg in ELG_COLUMNS),
        ),
    ),
}

#: Added to every raw row at landing. ``_row_number`` is the 1-based data row in the delivered file.
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_delivery_id", "varchar"),
    ("_source_file", "varchar"),
    ("_sha256", "varchar"),
    ("_borough_code", "varchar"),
    ("_extract_type", "varchar"),
    ("_period", "varchar"),
    ("_row_number", "bigint"),
    ("_loaded_at", "timestamp"),
    ("_run_id", "varchar"),
)

DUCKDB_TYPES: dict[str, str] = {
    "identifier": "varchar",
    "text": "varchar",
    "code": "varchar",
    "date": "date",
    "month": "date",
    "boolean": "boolean",
    "integer": "bigint",
    "decimal": "double",
}


def raw_table_ddl(contract: Contract, schema: str = "raw") -> str:
    """``create table if not exists`` for a contract's raw table (so dbt always has its sources)."""
    cols = [f'"{c.stored_name}" {DUCKDB_TYPES[c.kind]}' for c in contract.columns]
    cols += [f'"{name}" {sql_type}' for name, sql_type in LINEAGE_COLUMNS]
    return f"create table if not exists {schema}.{contract.raw_table} (\n  " + ",\n  ".join(cols) + "\n)"
