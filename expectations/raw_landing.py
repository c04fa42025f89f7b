"""Suites over what landed: reconciliation with the delivery ledger, and keys present and hashed."""

from fhub.contracts import CONTRACTS
from fhub.quality.spec import Check, SuiteSpec

_RAW_COUNTS = "\nunion all\n".join(
    f"select _delivery_id, count(*) as n from raw.{c.raw_table} group by 1" for c in CONTRACTS.values()
)

RECONCILIATION = SuiteSpec(
    name="raw_reconciliation",
    query=f"""
        select d.delivery_id, d.borough_code, d.extract_type, d.period,
               d.rows_delivered, d.rows_landed, d.rows_rejected,
               coalesce(r.n, 0) as rows_in_raw,
               d.rows_landed - coalesce(r.n, 0) as landed_minus_raw,
               d.rows_delivered - d.rows_landed - d.rows_rejected as unaccounted_rows
        from landing.deliveries as d
        left join ({_RAW_COUNTS}) as r on r._delivery_id = d.delivery_id
        where d.status in ('landed', 'superseded', 'held')
    """,
    index_columns=("delivery_id", "borough_code", "extract_type", "period"),
    requires=("landing.deliveries",),
    checks=(
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "landed_minus_raw", "min_value": 0, "max_value": 0},
            dimension="consistency",
            severity="withhold_scope",
            scope={"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
            message="The rows in the warehouse do not match the rows the delivery ledger says were landed.",
            fix="Re-run the nightly job; if it persists, re-send the file (landing is idempotent).",
        ),
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "unaccounted_rows", "min_value": 0, "max_value": 0},
            dimension="completeness",
            severity="withhold_scope",
            scope={"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
            message="Delivered rows are not all accounted for as landed or rejected.",
            fix="Report to the pipeline team: landing lost track of rows in this delivery.",
        ),
    ),
)


def _key_counts(extract: str) -> str:
    contract = CONTRACTS[extract]
    person_key = next(c.stored_name for c in contract.columns if c.kind == "identifier")
    return f"""
        select r._delivery_id, '{extract}' as extract_type, count(*) as rows_in_raw,
               count(*) filter (where r.{person_key} is null) as missing_keys,
               count(*) filter (where r.{person_key} is not null
                                and not regexp_full_match(r.{person_key}, '[0-9a-f]{{64}}')) as unhashed_keys
        from raw.{contract.raw_table} as r group by r._delivery_id"""


_KEY_COUNTS = "\nunion all\n".join(_key_counts(extract) for extract in CONTRACTS)

#: Keys are checked per delivery: DuckDB counts missing and non-hash keys in one pass over each raw table
#: and GX validates the small per-delivery result (row-level checks over millions of raw rows belong in
#: landing and dbt; GX guards the publish gate on aggregates).
KEYS = SuiteSpec(
    name="raw_keys",
    query=f"""
        select d.delivery_id, d.borough_code, d.extract_type, d.period, k.rows_in_raw, k.missing_keys,
               k.unhashed_keys
        from landing.deliveries as d
        join ({_KEY_COUNTS}) as k on k._delivery_id = d.delivery_id
        where d.status = 'landed'
    """,
    index_columns=("delivery_id", "borough_code", "extract_type", "period"),
    requires=("landing.deliveries",),
    checks=(
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "missing_keys", "min_value": 0, "max_value": 0},
            dimension="completeness",
            severity="withhold_scope",
            scope={"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
            message="Some rows in this delivery have no person key.",
            fix="Fill the person id column for every row and re-send the file.",
        ),
        Check(
            "ExpectColumnValuesToBeBetween",
            {"column": "unhashed_keys", "min_value": 0, "max_value": 0},
            dimension="validity",
            severity="blocking_all",
            message="A person key is not a keyed hash: a raw identifier may have reached the warehouse.",
            fix="Stop and investigate the landing step; do not publish.",
        ),
    ),
)


SUITES = [RECONCILIATION, KEYS]
