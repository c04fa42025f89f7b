"""Which delivery is in use for each borough × extract × period: supersession, nil returns."""

from __future__ import annotations

import duckdb

from fhub.landing.items import Item
from fhub.landing.result import DeliveryOutcome


def decide_status(con: duckdb.DuckDBPyConnection, items: list[Item]) -> list[tuple[str, str]]:
    """Set each file's status (landed / superseded) and supersessions. Returns (earlier delivery id,
    superseded_by) updates for deliveries already in the work file.

    Rules, per borough × extract × period, in order of arrival:
    * a file held as a whole (its rows belong to another period) is ``held``: not in use, replaces nothing;
    * a file that would replace a delivery in use but drops more than the borough's share of its rows, keys or
      hubs is ``held`` until confirmed (:func:`_held_resubmission`);
    * a file with landed rows replaces (supersedes) every earlier landed delivery; if a newer delivery is
      already landed, the file is kept in history only (``superseded``);
    * a file whose every row was rejected is recorded as ``landed`` with 0 rows and replaces nothing;
    * a header-only file is a *nil return* ("no activity this period"): ``landed`` with 0 rows if the period
      has nothing else; but it never wipes a period that already has rows — then it is recorded as
      ``superseded`` (history only) and the receipt says how to withdraw a period deliberately.
    """
    codes = sorted({it.out.borough_code for it in items})
    state: dict[tuple[str, str], list[dict]] = {}
    for code, did, period, received, rows, source in con.execute(
            "select borough_code, delivery_id, period, received_at, rows_landed, delivery_label from landing.deliveries "
            "where borough_code in (select unnest(?)) and extract_type = ? and status = 'landed'",
            [codes, items[0].out.extract_type]).fetchall():
        state.setdefault((code, period), []).append({"id": did, "received": received, "rows": rows,
                                                     "source": source, "item": None})
    updates: list[tuple[str, str]] = []
    for it in sorted(items, key=lambda i: i.received_at):
        out = it.out
        if it.hold is not None:  # e.g. this looks like another period's file: not in use, replaces nothing
            out.status, out.reason, out.fix = "held", it.hold[1], it.hold[2]
            continue
        cur = state.setdefault((out.borough_code, out.period), [])
        newer = sorted((c for c in cur if c["received"] > it.received_at), key=lambda c: c["received"])
        me = {"id": it.sha, "received": it.received_at, "rows": out.rows_landed, "source": out.label, "item": it}
        replaced: list[dict] = []
        if out.rows_delivered == 0:
            nonempty = [c for c in cur if c["rows"] > 0]
            if newer:
                _superseded(out, newer[-1], "A newer delivery for the same period was already landed, so this "
                            "file is kept in history only.", "No action needed if the newer file is the right one.")
            elif nonempty:
                keep = max(nonempty, key=lambda c: c["received"])
                _superseded(out, keep,
                            f"The file has no data rows. The earlier delivery {keep['source']} already delivered "
                            f"{keep['rows']:,} rows for {out.period}; an empty file does not replace them, so that "
                            "delivery stays in use.",
                            f"If the period really had no activity, ask the hub data team to withdraw the earlier "
                            f"delivery {keep['source']} (a deliberate, recorded step); otherwise no action is "
                            "needed, or send a corrected file with the rows.")
            else:
                out.file_warnings.append((None, f"The file has no data rows: treated as a nil return (no "
                                          f"activity) for {out.period}.",
                                          "No action needed if nothing happened in the period; otherwise "
                                          "re-export the file with its data."))
                replaced = [c for c in cur if c["received"] <= it.received_at]
                cur.append(me)
        elif out.rows_landed == 0:
            out.file_warnings.append((None, "No row could be landed, so any earlier delivery for this period "
                                      "stays in use.", "Fix the problems listed below and send the file again."))
            cur.append(me)
        elif newer:
            _superseded(out, newer[-1], "A newer delivery for the same period was already landed, so this file "
                        "is kept in history only.", "No action needed if the newer file is the right one.")
        else:
            replaced = [c for c in cur if c["received"] <= it.received_at]
            if _held_resubmission(it, replaced):
                continue
            cur.append(me)
        for c in replaced:
            cur.remove(c)
            out.supersedes.append(c["source"])
            if c["item"] is None:
                updates.append((c["id"], it.sha))
            else:
                c["item"].db_status = ("superseded", it.sha)
    return updates


def _superseded(out: DeliveryOutcome, by: dict, reason: str, fix: str) -> None:
    out.status = "superseded"
    out.superseded_by = by["id"]
    out.file_warnings.append((None, reason, fix))


def _held_resubmission(it: Item, replaced: list[dict]) -> bool:
    """Hold a file that would replace a delivery in use but drops too much of it (:mod:`fhub.landing.guard`),
    unless the borough confirmed it (``confirm_resubmissions``)."""
    in_db = [c for c in replaced if c["item"] is None and c["rows"] > 0]
    if not in_db or it.drop is None:
        return False
    share = float(getattr(it.mapping, "resubmission_drop_share", 0.2))
    if not it.drop.exceeds(share):
        return False
    if it.mapping.confirms(it.sha):
        it.out.file_warnings.append((None, "This file drops more than " + f"{share:.0%}" + " of the delivery it "
                                     "replaces; the borough confirmed that in advance (confirm_resubmissions), so "
                                     "it replaces it.", "No action needed."))
        return False
    out = it.out
    out.status = "held"
    out.reason = it.drop.reason(out.period)
    out.fix = it.drop.fix(it.sha, it.slug)
    it.hold = ("resubmission_drop", out.reason, out.fix, None)
    it.would_replace = [c["id"] for c in in_db]
    return True
