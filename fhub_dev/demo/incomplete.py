"""The demo's deliberately incomplete extract (issue 16): one borough's EYFSP pupil-level file for one year
misses a whole school, so its figures do not reconcile with what DfE published for it.

:data:`INCOMPLETE_EYFSP` names it: **Merton, 2024/25** (in the tiny, demo and london scales; DfE publishes
2024/25 for every borough). The full cohort is generated and calibrated to DfE's published GLD as for every
borough; then the school to be left out is chosen (the one with the highest GLD rate among schools with at
least 8 % of the cohort), its intake is made the borough's high attainers (pupils are swapped between it and
other schools, sizes unchanged, until ~95 % of its complete profiles reach GLD), and its pupils are dropped from
the file. The borough's GLD, all-ELG and communication-language-literacy rates fall by several percentage
points - far outside the reconciliation tolerance (about 1 pp) - and its cohort is smaller than DfE's. The other
boroughs' files are complete and reconcile.
"""

from __future__ import annotations

import numpy as np

from fhub.contracts import ELG_COLUMNS, GLD_ELGS
from fhub_dev.demo.files import Frame, take

#: borough slug -> academic year whose EYFSP file misses one school
INCOMPLETE_EYFSP: dict[str, str] = {"merton": "2024/25"}
MIN_SCHOOL_SHARE = 0.08
SCHOOL_GLD_RATE = 0.95


def _gld(frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    elg = np.stack([frame[e].idx for e in ELG_COLUMNS], axis=1)
    complete = (elg >= 0).all(axis=1)
    mask = np.array([e in GLD_ELGS for e in ELG_COLUMNS])
    return (elg[:, mask] == 1).all(axis=1) & complete, complete


def school_to_leave_out(frame: Frame) -> str:
    """The URN of the school with the highest GLD rate among those with at least 8 % of the cohort."""
    gld, complete = _gld(frame)
    urns = np.asarray(frame["school_urn"])
    best, best_rate = None, -1.0
    for urn in sorted(set(urns.tolist())):
        mine = urns == urn
        if mine.mean() < MIN_SCHOOL_SHARE or not (mine & complete).any():
            continue
        rate = gld[mine & complete].mean()
        if rate > best_rate:
            best, best_rate = urn, rate
    if best is None:  # tiny cohorts: the largest school
        values, counts = np.unique(urns, return_counts=True)
        best = values[int(np.argmax(counts))]
    return str(best)


def leave_out_school(frame: Frame, extras: dict[str, np.ndarray]) -> tuple[Frame, dict[str, np.ndarray], int]:
    """The frame (and raw-identifier extras) without one school whose intake are the high attainers; returns
    them and how many pupils were left out."""
    urn = school_to_leave_out(frame)
    gld, complete = _gld(frame)
    urns = np.array(frame["school_urn"], dtype=object)
    mine = np.flatnonzero(urns == urn)
    # swap this school's pupils without GLD for other schools' pupils with GLD (deterministic order)
    weak = [i for i in mine if not gld[i]]
    strong_elsewhere = np.flatnonzero(gld & (urns != urn)).tolist()
    target_weak = int(round(mine.size * (1 - SCHOOL_GLD_RATE)))
    swaps = max(0, len(weak) - target_weak)
    for i, j in zip(weak[:swaps], strong_elsewhere[:swaps], strict=False):
        urns[i], urns[j] = urns[j], urns[i]
    keep = np.flatnonzero(urns != urn)
    frame = {**frame, "school_urn": urns}
    return take(frame, keep), {h: a[keep] for h, a in extras.items()}, int(len(urns) - keep.size)
