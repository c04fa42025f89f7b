"""EYFSP: an early learning goal (ELG) column empty for a whole cohort.

DfE counts a child in GLD (and every other profile measure) only with a complete profile: every ELG judged
(/work/shared/domain/eyfs.md). An ELG column that is empty for every child of a delivery — not sent, or
sent under a heading that does not match the agreed one — therefore leaves no child countable: GLD for that
borough × academic year would be 0 of 0. Landing says so in the receipt (how many children it excludes) and
records a failing delivery check (``landing.delivery_checks``), which withholds the scope's EYFSP figures
with that reason every night while the delivery is in use (:mod:`fhub.dq.landing_results`).
"""

from __future__ import annotations

import duckdb

from fhub.contracts import ELG_COLUMNS, Contract
from fhub.landing.columns import ColumnPlan
from fhub.landing.sqlkit import ident

CHECK_NAME = "elg_judgements_present"


def empty_elgs(con: duckdb.DuckDBPyConnection, contract: Contract, files: list[int]) -> dict[int, tuple[int, list[str]]]:
    """file number → (children landed, the ELG columns empty for all of them) for files with such a gap."""
    if contract.extract != "eyfsp" or not files:
        return {}
    counts = ", ".join(f"count({ident('v_' + c)})" for c in ELG_COLUMNS)
    rows = con.execute(f"""
        select _f, count(*), {counts} from _m m
        where not exists (select 1 from _bad b where b._f = m._f and b._row = m._row)
        group by _f
    """).fetchall()
    out: dict[int, tuple[int, list[str]]] = {}
    for f, n, *judged in rows:
        empty = [c for c, k in zip(ELG_COLUMNS, judged, strict=True) if k == 0]
        if n and empty and int(f) in files:
            out[int(f)] = (int(n), empty)
    return out


def describe(n: int, empty: list[str], plan: ColumnPlan, period: str) -> tuple[str, str]:
    """Reason and fix (a template: agreed column names, counts and the period only)."""
    names = [plan.heading.get(c, c) for c in empty]
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return (f"{'The early learning goal column' if len(names) == 1 else 'The early learning goal columns'} "
            f"{shown} {'is' if len(names) == 1 else 'are'} empty for all {n:,} children in this file. A child "
            f"with any ELG missing has no complete profile and is not counted (DfE's rule), so all {n:,} "
            f"children are excluded: GLD and the other EYFSP measures for {period} are not available for this borough until the judgements are sent.",
            "Send the file again with every ELG column filled; check the column headings match the agreed ones "
            "exactly (see the warnings about headings above).")
