"""Ledgers of what happened to personal data outside the normal flow, in the work file's ``landing`` schema.

None of them holds a raw identifier, a file name or anything read from a borough's file: deliveries are named
by their neutral id (sha256), boroughs by code, people not at all.

* ``landing.originals_purged`` - one row per encrypted original deleted because it outlived the retention
  period (:func:`fhub.privacy.originals.purge_expired`);
* ``landing.originals_opened`` - one row per original decrypted by ``fhub archive open`` (who, when, why);
* ``landing.erasures`` - one row per ``fhub forget`` request carried out (borough, counts, the requester's own
  reference), never the person's id or key;
* ``landing.original_changes`` - one row per stored original rewritten by an erasure (checksums before and
  after, rows removed).
"""

from __future__ import annotations

PRIVACY_LEDGER_DDL: tuple[str, ...] = (
    """
    create table if not exists landing.originals_purged (
        delivery_id varchar,               -- neutral id (sha256); null for an original no delivery recorded
        sha256 varchar,
        borough_code varchar,
        extract_type varchar,
        period varchar,
        location varchar not null,         -- archive | quarantine
        stored_since timestamp,            -- when the original was first received
        purged_at timestamp not null,
        retention_days integer not null,
        run_id varchar
    )
    """,
    """
    create table if not exists landing.originals_opened (
        opened_at timestamp not null,
        delivery_id varchar not null,
        location varchar not null,         -- archive | quarantine
        opened_by varchar,                 -- the operating-system user who ran fhub archive open
        purpose varchar                    -- what they said it was for (--purpose)
    )
    """,
    """
    create table if not exists landing.erasures (
        erasure_id varchar primary key,
        erased_at timestamp not null,
        borough_code varchar not null,
        reference varchar,                 -- the borough's own request reference (--reference), if given
        raw_rows_removed bigint not null,
        model_rows_removed bigint not null,
        originals_rewritten integer not null,
        original_rows_removed bigint not null,
        requested_by varchar
    )
    """,
    """
    create table if not exists landing.original_changes (
        erasure_id varchar not null,
        delivery_id varchar,
        location varchar not null,
        sha256_before varchar not null,
        sha256_after varchar not null,
        rows_removed bigint not null,
        changed_at timestamp not null
    )
    """,
)
