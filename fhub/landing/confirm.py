"""Confirm a held resubmission: the borough says the smaller file is right (``fhub confirm <delivery_id>``,
or the delivery id under ``confirm_resubmissions:`` in its mapping file, applied by the next landing run).

The held delivery's rows are already stored, so confirming is one transaction on ``landing.deliveries``: it
becomes ``landed`` and the deliveries it replaces become ``superseded`` by it (or, if a newer delivery for
the period landed meanwhile, it goes straight into history as ``superseded``). Only a hold for a drop in
rows can be confirmed: a file held because its rows belong to another period must be sent again under the
right name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from fhub.settings import Paths


@dataclass
class Confirmed:
    delivery_id: str
    borough_slug: str
    source_file: str
    extract_type: str
    period: str
    status: str  # landed | superseded (a newer delivery was already in use)
    replaced: list[str]
    message: str


class NotConfirmable(ValueError):
    """The delivery id names no held resubmission (the message says why and what to do)."""


def confirm_delivery(paths: Paths, delivery_id: str, run_id: str) -> Confirmed:
    """Confirm the held resubmission ``delivery_id`` (the full id or its first 12+ characters)."""
    from fhub.landing.land import open_work_db

    con = open_work_db(paths)
    try:
        return confirm_held(con, _resolve(con, delivery_id), run_id, "fhub confirm")
    finally:
        con.close()


def _resolve(con: duckdb.DuckDBPyConnection, prefix: str) -> str:
    prefix = prefix.strip().lower()
    if len(prefix) < 12:
        raise NotConfirmable("Give the delivery id from the receipt (at least its first 12 characters).")
    ids = [r[0] for r in con.execute("select delivery_id from landing.deliveries where starts_with(delivery_id, ?)",
                                     [prefix]).fetchall()]
    if not ids:
        raise NotConfirmable(f"No delivery has an id starting {prefix}.")
    if len(ids) > 1:
        raise NotConfirmable(f"{len(ids)} deliveries have ids starting {prefix}; give more characters.")
    return ids[0]


def confirm_held(con: duckdb.DuckDBPyConnection, delivery_id: str, run_id: str, how: str) -> Confirmed:
    row = con.execute("select status, borough_code, borough_slug, extract_type, period, received_at, source_file "
                      "from landing.deliveries where delivery_id = ?", [delivery_id]).fetchone()
    if row is None:
        raise NotConfirmable(f"No delivery {delivery_id[:12]}.")
    status, code, slug, extract, period, received, source = row
    hold = con.execute("select kind from landing.holds where delivery_id = ? and confirmed_at is null",
                       [delivery_id]).fetchone()
    if status != "held" or hold is None:
        raise NotConfirmable(f"Delivery {delivery_id[:12]} is not held (its status is {status}); nothing to confirm.")
    if hold[0] != "resubmission_drop":
        raise NotConfirmable(f"Delivery {delivery_id[:12]} was held because its rows belong to another period; "
                             "it cannot be confirmed. Send the file again named for the period its rows are for.")
    in_use = con.execute("select delivery_id, received_at from landing.deliveries where borough_code = ? and "
                         "extract_type = ? and period = ? and status = 'landed' and delivery_id <> ?",
                         [code, extract, period, delivery_id]).fetchall()
    newer = sorted((r for r in in_use if received and r[1] and r[1] > received), key=lambda r: r[1])
    replaced = [] if newer else [r[0] for r in in_use]
    now = dt.datetime.now()
    con.execute("begin transaction")
    try:
        if newer:
            con.execute("update landing.deliveries set status = 'superseded', superseded_by = ? where delivery_id = ?",
                        [newer[-1][0], delivery_id])
            message = (f"Delivery {delivery_id[:12]} ({extract} {period}) was confirmed ({how}), but a newer "
                       f"delivery for {period} is already in use, so it is kept in history only.")
        else:
            con.execute("update landing.deliveries set status = 'landed', superseded_by = null where delivery_id = ?",
                        [delivery_id])
            if replaced:
                con.execute("update landing.deliveries set status = 'superseded', superseded_by = ? "
                            "where delivery_id in (select unnest(?))", [delivery_id, replaced])
            message = (f"Delivery {delivery_id[:12]} ({extract} {period}) was confirmed ({how}) and is now in use"
                       + (f"; it replaces delivery {', '.join(r[:12] for r in replaced)}." if replaced else "."))
        con.execute("update landing.holds set confirmed_at = ?, confirmed_run_id = ? where delivery_id = ? "
                    "and confirmed_at is null", [now, run_id, delivery_id])
        con.execute("insert into landing.warnings values (?, ?, null, null, null, null, ?, ?, ?)",
                    [delivery_id, source, message, "No action needed.", run_id])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return Confirmed(delivery_id, slug, source, extract, period, "superseded" if newer else "landed", replaced,
                     message)


def confirm_from_mappings(con: duckdb.DuckDBPyConnection, mappings: dict, run_id: str) -> list[Confirmed]:
    """Confirm every held resubmission whose id a borough listed under ``confirm_resubmissions``."""
    wanted = {m.borough_code: m for m in mappings.values() if getattr(m, "confirm_resubmissions", ())}
    if not wanted:
        return []
    held = con.execute("select d.delivery_id, d.borough_code from landing.deliveries d join landing.holds h "
                       "using (delivery_id) where d.status = 'held' and h.kind = 'resubmission_drop' and "
                       "h.confirmed_at is null and d.borough_code in (select unnest(?)) order by d.received_at",
                       [sorted(wanted)]).fetchall()
    return [confirm_held(con, did, run_id, "confirm_resubmissions in the borough mapping")
            for did, code in held if wanted[code].confirms(did)]
