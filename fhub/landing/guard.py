"""Resubmission guard: a file that would replace the delivery in use for its borough × extract × period but
drops more than the borough's ``resubmission_drop_share`` (default 20 %) of its rows, or of the distinct
values of its key column or its hubs, is held until the borough confirms it (``confirm_resubmissions:`` in
the borough mapping, or ``fhub confirm <delivery_id>``, :mod:`fhub.landing.confirm`). Its rows are stored
but not in use; the receipt says exactly what landing it would withdraw.

Set-based over the group: only files whose scope already has a landed delivery are compared, with one query
over the raw rows of those deliveries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from fhub.contracts import Contract
from fhub.landing.sqlkit import ident


@dataclass
class Drop:
    """What replacing the deliveries in use by this file would change."""

    previous: list[tuple[str, dt.datetime | None, int]]  # (delivery id, received at, rows landed)
    old_rows: int
    new_rows: int
    key_name: str  # the agreed name of the key column
    old_keys: int
    new_keys: int
    withdrawn_keys: int
    old_hubs: list[str] = field(default_factory=list)
    withdrawn_hubs: list[str] = field(default_factory=list)

    def exceeds(self, share: float) -> bool:
        def dropped(old: int, new: int) -> bool:
            return old > 0 and (old - new) > share * old

        return (dropped(self.old_rows, self.new_rows) or dropped(self.old_keys, self.new_keys)
                or dropped(len(self.old_hubs), len(self.old_hubs) - len(self.withdrawn_hubs)))

    def reason(self, period: str) -> str:
        prev = ", ".join(f"delivery {d[:12]}" + (f" received {r:%Y-%m-%d}" if r else "") for d, r, _ in self.previous)
        fewer = self.old_rows - self.new_rows
        text = (f"This file would replace the delivery in use for {period} ({prev}), but it has "
                f"{self.new_rows:,} rows where that has {self.old_rows:,}"
                + (f" ({fewer / self.old_rows:.0%} fewer)" if fewer > 0 and self.old_rows else "") + ". "
                f"Landing it would withdraw {self.withdrawn_keys:,} of the {self.old_keys:,} records "
                f"(by {self.key_name}) now in use")
        if self.withdrawn_hubs:
            text += (f", and every row of {len(self.withdrawn_hubs)} of {len(self.old_hubs)} hubs "
                     f"({', '.join(self.withdrawn_hubs[:10])}{', …' if len(self.withdrawn_hubs) > 10 else ''})")
        return text + ". It was held: it is not in use and the earlier delivery stays in use."

    @staticmethod
    def fix(delivery_id: str, slug: str) -> str:
        return (f"If the smaller file is right, confirm it: add {delivery_id[:16]} under confirm_resubmissions "
                f"in config/boroughs/{slug}.yml, or ask the hub data team to run 'fhub confirm {delivery_id[:16]}'. "
                "Otherwise send the complete file.")


def resubmission_drops(con: duckdb.DuckDBPyConnection, contract: Contract, key_name: str,
                       rows_landed: dict[int, int]) -> dict[int, Drop]:
    """file number → :class:`Drop` for every file of the group whose scope has a landed delivery already.
    Needs ``_files``, ``_m``, ``_bad`` and the hashed keys in ``_keycache``."""
    con.execute("""
        create or replace temp table _prev as
        select f._f, d.delivery_id, d.received_at, d.rows_landed
        from _files f join landing.deliveries d
          on d.borough_code = f.borough_code and d.extract_type = ? and d.period = f.period
         and d.status = 'landed' and d.rows_landed > 0 and d.delivery_id <> f.sha
    """, [contract.extract])
    previous: dict[int, list[tuple[str, dt.datetime | None, int]]] = {}
    for f, did, received, rows in con.execute("select * from _prev order by _f, received_at").fetchall():
        previous.setdefault(int(f), []).append((did, received, int(rows)))
    if not previous:
        con.execute("drop table _prev")
        return {}
    key = contract.column(contract.key[0])
    if key.kind == "identifier":
        new_key = "c.k"
        join = f"join _keycache c on c.v = m.{ident('v_' + key.name)}"
    else:
        new_key, join = f"m.{ident('v_' + key.name)}", ""
    old_key = f"r.{ident(key.stored_name)}"
    raw = f"raw.{ident(contract.raw_table)}"
    has_hub = "hub_id" in contract.column_names
    con.execute(f"""
        create or replace temp table _oldk as
        select distinct p._f, {old_key} as k{', r.hub_id' if has_hub else ', null as hub_id'}
        from {raw} r join _prev p on r._delivery_id = p.delivery_id
    """)
    con.execute(f"""
        create or replace temp table _newk as
        select distinct m._f, {new_key} as k{', m.v_hub_id as hub_id' if has_hub else ', null as hub_id'}
        from _m m {join}
        where m._f in (select _f from _prev)
          and not exists (select 1 from _bad b where b._f = m._f and b._row = m._row)
    """)
    stats = con.execute("""
        select o._f, count(distinct o.k), (select count(distinct n.k) from _newk n where n._f = o._f),
               count(distinct o.k) filter (where not exists (select 1 from _newk n where n._f = o._f and n.k = o.k)),
               list(distinct o.hub_id order by o.hub_id) filter (where o.hub_id is not null),
               list(distinct o.hub_id order by o.hub_id) filter (where o.hub_id is not null and not exists (
                   select 1 from _newk n where n._f = o._f and n.hub_id = o.hub_id))
        from _oldk o group by o._f
    """).fetchall()
    for t in ("_prev", "_oldk", "_newk"):
        con.execute(f"drop table {t}")
    out: dict[int, Drop] = {}
    for f, old_keys, new_keys, withdrawn, hubs, gone in stats:
        prev = previous[int(f)]
        out[int(f)] = Drop(previous=prev, old_rows=sum(p[2] for p in prev), new_rows=rows_landed.get(int(f), 0),
                           key_name=key_name, old_keys=int(old_keys), new_keys=int(new_keys or 0),
                           withdrawn_keys=int(withdrawn), old_hubs=list(hubs or []), withdrawn_hubs=list(gone or []))
    return out
