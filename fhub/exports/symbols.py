"""The symbols the published figures use (GSS harmonised symbols, as in Explore Education Statistics and the
performance-cycle report), with what each means here. Shown in full on every borough workbook's Symbols sheet."""

from __future__ import annotations

SYMBOLS: tuple[tuple[str, str, str], ...] = (
    ("c", "Confidential", "Suppressed to protect confidentiality: a small number (primary suppression) or a "
     "figure from which a small number could be worked out (secondary suppression)."),
    ("x", "Not available", "Not collected or not delivered, could not be computed, or withheld because a "
     "data-quality check failed for the borough's delivery (see dq_status and dq_reason)."),
    ("z", "Not applicable", "The figure does not apply here (e.g. no confidence interval for a count)."),
    ("low", "Low", "Rounds to zero but is not zero."),
    ("u", "Low reliability", "Shown, but based on too few records to be reliable."),
    ("b", "Break in series", "Not comparable with earlier periods: the EYFS profile was reformed in 2021/22 and "
     "2019/20-2020/21 have no results."),
    ("p", "Provisional / projected", "Provisional (from borough records, before DfE publishes) or a projection "
     "(the GLD target tracker's projected value and interval)."),
    ("r", "Revised", "Changed since it was first published (see dq_revisions)."),
)


def symbol_codes() -> tuple[str, ...]:
    return tuple(code for code, _name, _meaning in SYMBOLS)
