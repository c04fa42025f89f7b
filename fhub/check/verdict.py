"""What the nightly landing would do with a file, as an exit code and a sentence for the data officer.

``0`` would land clean · ``1`` would land, but with rejected rows or warnings (or would change nothing) ·
``2`` would not land (quarantined, held, waiting for a mapping, or not picked up at all).

Landing's statuses are read from :class:`fhub.landing.DeliveryOutcome`; any status this module does not
know (landing may add new ones) counts as "would not land", so a new way of refusing a file can never turn
into a green check.
"""

from __future__ import annotations

from fhub.landing import DeliveryOutcome

WOULD_LAND_CLEAN = 0
WOULD_LAND_WITH_PROBLEMS = 1
WOULD_NOT_LAND = 2

#: the whole check's headline per exit code
HEADLINES = {
    WOULD_LAND_CLEAN: "Would land cleanly",
    WOULD_LAND_WITH_PROBLEMS: "Would land, with problems to fix",
    WOULD_NOT_LAND: "Would NOT land",
}

_NOT_LANDING = {
    "quarantined": "would NOT land: it would be quarantined (see why below)",
    "held": "would NOT land: it would be held until the borough confirms it (see why below)",
    "waiting": "would NOT land: the borough has no working mapping file yet (the hub data team must fix it)",
    "ignored": "would NOT land: the nightly run would ignore it (see why below)",
}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def file_verdict(outcome: DeliveryOutcome | None) -> tuple[int, str]:
    """(exit code, plain sentence) for one checked file; ``None`` = landing did not report the file at all."""
    if outcome is None:
        return WOULD_NOT_LAND, ("would NOT land: the nightly run would not pick it up (a name starting with '.' "
                                "or '~$', or ending like a partial download such as .tmp or .part)")
    status = outcome.status
    if status == "landed":
        problems = []
        if outcome.rows_rejected:
            problems.append(_plural(outcome.rows_rejected, "row") + " rejected")
        if outcome.rows_warned:
            problems.append(_plural(outcome.rows_warned, "row") + " landed with a warning")
        if outcome.file_warnings:
            problems.append(_plural(len(outcome.file_warnings), "warning") + " about the whole file")
        landed = f"{outcome.rows_landed:,} of {outcome.rows_delivered:,} rows would land"
        replaces = (f"; it would replace {_plural(len(outcome.supersedes), 'earlier delivery', 'earlier deliveries')}"
                    " for the same period" if outcome.supersedes else "")
        if problems:
            return WOULD_LAND_WITH_PROBLEMS, f"would land with problems: {landed}; {', '.join(problems)}{replaces}"
        return WOULD_LAND_CLEAN, f"would land cleanly: {landed}{replaces}"
    if status == "superseded":
        return WOULD_LAND_WITH_PROBLEMS, ("would land into history only: a delivery already in use for the same "
                                          "period would stay in use (see why below)")
    if status == "skipped":
        return WOULD_LAND_WITH_PROBLEMS, ("would change nothing: these exact bytes were already received "
                                          "(sending the file again is not needed)")
    return WOULD_NOT_LAND, _NOT_LANDING.get(status, f"would NOT land (landing status '{status}')")


def overall(codes: list[int]) -> int:
    """The check's exit code: the worst file decides; no file at all is an error (2)."""
    return max(codes) if codes else WOULD_NOT_LAND
