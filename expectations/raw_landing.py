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
        where d.status in ('landed', 'superseded')
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


def _keys_suite(extract: str) -> SuiteSpec:
    contract = CONTRACTS[extract]
    key_cols = [c.stored_name for c in contract.columns if c.kind == "identifier"]
    person_key = key_cols[0]
    return SuiteSpec(
        name=f"raw_keys_{extract}",
        query=f"""
            select r._borough_code as borough_code, '{extract}' as extract_type, r._period as period,
                   r.{person_key} as person_key,
                   case when r.{person_key} is null or regexp_full_match(r.{person_key}, '[0-9a-f]{{64}}')
                        then 0 else 1 end as key_not_hashed
            from raw.{contract.raw_table} as r
            join landing.deliveries as d on d.delivery_id = r._delivery_id and d.status = 'landed'
        """,
        index_columns=("borough_code", "extract_type", "period"),
        requires=(f"raw.{contract.raw_table}", "landing.deliveries"),
        checks=(
            Check(
                "ExpectColumnValuesToNotBeNull",
                {"column": "person_key"},
                dimension="completeness",
                severity="withhold_scope",
                scope={"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
                message=f"Some {extract} rows have no person key.",
                fix="Fill the person id column for every row and re-send the file.",
            ),
            Check(
                "ExpectColumnValuesToBeBetween",
                {"column": "key_not_hashed", "min_value": 0, "max_value": 0},
                dimension="validity",
                severity="blocking_all",
                message="A person key is not a keyed hash: a raw identifier may have reached the warehouse.",
                fix="Stop and investigate the landing step; do not publish.",
            ),
        ),
    )


SUITES = [RECONCILIATION, *(_keys_suite(extract) for extract in CONTRACTS)]
