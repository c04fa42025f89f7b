"""Message templates. Every variable part is an id, a code, a count, a date, an extract or period, a
borough's name from its mapping file, or one of the project's own check names; paths are relative to the
data folder. No cell value, heading, sheet name, file name or free-text reason is ever put in a message
(the receipt on the pipeline's machine has the detail)."""

from __future__ import annotations

from dataclasses import dataclass

from fhub.notify.due import MissingDelivery
from fhub.notify.facts import DeliveryLine, NightOutcome

PREFIX = "[family hubs]"
#: files listed one by one in a receipt message (the receipt itself lists all)
_MAX_LISTED = 25
_STATUS = {
    "landed": "landed", "superseded": "landed into history", "quarantined": "quarantined (not landed)",
    "held": "held until you confirm it (not landed)", "waiting": "waiting for a mapping (not landed)",
}


@dataclass(frozen=True)
class Message:
    event: str
    subject: str
    body: str


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _scope(code: str, extract: str | None, period: str | None, names: dict[str, str]) -> str:
    who = f"{names[code]} ({code})" if code in names else code
    return f"{who} - {extract or 'every extract'} - {period or 'every period'}"


def night_failed(night: NightOutcome) -> Message:
    if night.stopped_at:
        why = (f"It stopped with an error during the '{night.stopped_at}' step ({night.error_type}), so nothing "
               "was published.")
    else:
        why = (f"The publish gate blocked the whole night ({_plural(night.block_reasons, 'reason')}), so nothing "
               "was published.")
    lines = [f"The nightly run {night.run_id} ({night.mode} mode) did NOT publish.", "", why]
    if night.failed_checks:
        shown = list(night.failed_checks[:10])
        more = len(night.failed_checks) - len(shown)
        lines += ["", "Checks that failed:", *[f"- {c}" for c in shown]] + ([f"- and {more:,} more"] if more else [])
    lines += ["", "Yesterday's published mart is still the one analysts see.",
              "Details: reports/run-summary.md in the pipeline's data folder, and the run's logs in Prefect."]
    return Message("night_failed", f"{PREFIX} Nightly run {night.run_id} did NOT publish", "\n".join(lines))


def night_withheld(night: NightOutcome, names: dict[str, str], borough_code: str | None = None) -> Message:
    """The scopes withheld tonight - all of them (central team) or one borough's (its officer)."""
    scopes = [s for s in night.withheld if borough_code is None or s.borough_code == borough_code]
    lines = [f"The nightly run {night.run_id} published, but withheld {_plural(len(scopes), 'scope')} because "
             "their data failed a quality check. Their values are published as 'withheld' (symbol x); "
             "everything else published as usual.", ""]
    lines += [f"- {_scope(s.borough_code, s.extract_type, s.period, names)}"
              + (f" ({_plural(s.reasons, 'reason')})" if s.reasons else "") for s in scopes]
    lines += ["", "Why, and what to fix: the published table dq_withholdings and the borough pages of the "
              "performance report (reports/performance/)."]
    who = f" for {names.get(borough_code, borough_code)}" if borough_code else ""
    return Message("night_withheld", f"{PREFIX} Nightly run {night.run_id}: {_plural(len(scopes), 'scope')} "
                   f"withheld{who}", "\n".join(lines))


def deliveries_missing(missing: list[MissingDelivery], today_text: str, borough_name: str | None = None) -> Message:
    lines = [f"As of {today_text}, nothing has landed for {_plural(len(missing), 'delivery', 'deliveries')} "
             "that {verb} due:".format(verb="is" if len(missing) == 1 else "are"), ""]
    for m in missing:
        extra = (f"; {_plural(m.not_landed, 'file was', 'files were')} received for it but did not land - "
                 "see the receipt" if m.not_landed else "")
        who = "" if borough_name else f"{m.borough_name} ({m.borough_code}) - "
        lines.append(f"- {who}{m.extract} {m.period}, due by {m.due_on.isoformat()}{extra}")
    lines += ["", "Please send the file (named as agreed). If there was no activity in the period, send the "
              "file with its heading row only (a nil return). Due dates come from config/notifications.yml."]
    subject = (f"{PREFIX} {borough_name}: nothing received for {_plural(len(missing), 'due delivery', 'due deliveries')}"
               if borough_name else f"{PREFIX} {_plural(len(missing), 'due delivery', 'due deliveries')} missing")
    return Message("delivery_missing", subject, "\n".join(lines))


def _extracts(lines_: list[DeliveryLine]) -> str:
    """``contacts 2025-05 to 2025-07 (3 files); eyfsp 2025/26`` - what arrived, by extract."""
    periods: dict[str, list[str]] = {}
    for d in lines_:
        periods.setdefault(d.extract_type or "name not recognised", []).append(d.period or "")
    parts = []
    for extract, ps in sorted(periods.items()):
        ps = sorted(p for p in ps if p)
        if not ps:
            parts.append(f"{extract} ({_plural(len(periods[extract]), 'file')})")
        elif len(ps) <= 3:
            parts.append(f"{extract} {', '.join(ps)}")
        else:
            parts.append(f"{extract} {ps[0]} to {ps[-1]} ({len(ps):,} files)")
    return "; ".join(parts)


def receipt(borough_name: str, borough_code: str, slug: str, run_id: str, lines_: list[DeliveryLine]) -> Message:
    by_status: dict[str, int] = {}
    for d in lines_:
        by_status[d.status] = by_status.get(d.status, 0) + 1
    counts = ", ".join(f"{n:,} {_STATUS.get(s, s)}" for s, n in sorted(by_status.items()))
    action = [d for d in lines_ if d.needs_action]
    body = [f"Delivery receipt for {borough_name} ({borough_code}), nightly run {run_id}.", "",
            f"Received {_plural(len(lines_), 'file')}: {counts}.", f"Extracts: {_extracts(lines_)}.",
            f"Rows: {sum(d.rows_landed for d in lines_):,} landed, {sum(d.rows_rejected for d in lines_):,} "
            f"rejected, {sum(d.rows_warned for d in lines_):,} landed with a warning.", ""]
    if action:
        body.append("Needs your attention:")
        for d in action[:_MAX_LISTED]:
            what = f"{d.extract_type} {d.period}" if d.extract_type else "a file whose name was not recognised"
            notes = []
            if d.status not in ("landed", "superseded"):
                notes.append(_STATUS.get(d.status, d.status))
            if d.rows_rejected:
                notes.append(_plural(d.rows_rejected, "row") + " rejected")
            if d.rows_warned:
                notes.append(_plural(d.rows_warned, "row") + " landed with a warning")
            if d.file_warnings:
                notes.append(_plural(d.file_warnings, "warning") + " about the whole file")
            body.append(f"- {what}: {', '.join(notes)} (delivery {d.delivery_id[:8]})")
        if len(action) > _MAX_LISTED:
            body.append(f"- and {len(action) - _MAX_LISTED:,} more (see the receipt)")
        body.append("")
    else:
        body += ["Everything landed cleanly: no action needed.", ""]
    body += [f"The full receipt - which row, which column, why and how to fix it - is receipts/{slug}/{run_id}.md "
             "(and its CSV) in the pipeline's data folder. Check a corrected file before sending it with "
             "`fhub check` or the local check page."]
    subject = (f"{PREFIX} {borough_name}: delivery receipt for run {run_id}"
               + (f" - {_plural(len(action), 'file needs', 'files need')} attention" if action else " - all clean"))
    return Message("receipt", subject, "\n".join(body))
