"""Decide who hears what tonight (:func:`plan`), send it (:func:`send`), and the entry point the nightly
calls (:func:`tell_people`). Sending never raises for a channel that is down or not configured: each
failure is recorded and logged, and the night goes on."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from fhub.notify import messages
from fhub.notify.channels import Channels, NotConfigured, deliver
from fhub.notify.config import NotifyConfig, config_path, load_notify_config
from fhub.notify.due import MissingDelivery, missing_deliveries
from fhub.notify.facts import DeliveryLine, NightOutcome, delivery_ledger, run_deliveries
from fhub.notify.messages import Message
from fhub.settings import Paths


@dataclass(frozen=True)
class Outbound:
    audience: str  # "central" or "borough:<slug>"
    channel: str  # "email" or "webhook:<name>"
    recipients: tuple[str, ...]
    message: Message
    #: missing-delivery reminders this message carries (recorded once it is sent)
    reminder_keys: tuple[str, ...] = ()


@dataclass
class NotifyReport:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (audience, channel, event)
    failed: list[tuple[str, str, str, str]] = field(default_factory=list)  # (..., error type)
    not_configured: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.sent)} notification(s) sent, {len(self.failed)} failed"
                + (f", not configured: {'; '.join(self.not_configured)}" if self.not_configured else ""))

    def as_dict(self) -> dict:
        return {"sent": [list(s) for s in self.sent], "failed": [list(f) for f in self.failed],
                "not_configured": list(self.not_configured), "summary": self.summary()}


class SentLedger:
    """``<data>/notify/sent.json``: when each missing-delivery reminder was last sent (so an overdue file is
    reported once, then every ``remind_every_days``, not every night)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.sent: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.sent = {}

    def due_again(self, key: str, today: dt.date, every_days: int) -> bool:
        last = self.sent.get(key)
        return last is None or (today - dt.date.fromisoformat(last)).days >= every_days

    def record(self, keys: tuple[str, ...], today: dt.date) -> None:
        for k in keys:
            self.sent[k] = today.isoformat()
            self.changed = True

    changed = False

    def save(self, today: dt.date) -> None:
        if not self.changed:
            return
        keep = {k: v for k, v in self.sent.items() if (today - dt.date.fromisoformat(v)).days < 400}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(keep, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


def _channels(audience) -> list[tuple[str, tuple[str, ...]]]:
    out = [("email", tuple(audience.email))] if audience.email else []
    return out + [(f"webhook:{name}", ()) for name in audience.webhooks]


def plan(config: NotifyConfig, night: NightOutcome, deliveries: list[DeliveryLine], missing: list[MissingDelivery],
         boroughs: dict[str, tuple[str, str]], today: dt.date, ledger: SentLedger) -> list[Outbound]:
    """Every message to send tonight, per audience and channel. ``boroughs``: slug → (code, name) from the
    mapping files."""
    today_text = today.isoformat()
    names = {code: name for code, name in boroughs.values()}
    out: list[Outbound] = []

    def reminders(audience: str, items: list[MissingDelivery]) -> tuple[list[MissingDelivery], tuple[str, ...]]:
        keys = {m: f"{audience}|{m.borough_code}|{m.extract}|{m.period}" for m in items}
        fresh = [m for m in items if ledger.due_again(keys[m], today, config.due.remind_every_days)]
        return fresh, tuple(keys[m] for m in fresh)

    central = config.central
    for channel, to in _channels(central):
        if night.failed and "night_failed" in central.events:
            out.append(Outbound("central", channel, to, messages.night_failed(night)))
        if night.published and night.withheld and "night_withheld" in central.events:
            out.append(Outbound("central", channel, to, messages.night_withheld(night, names)))
        if "delivery_missing" in central.events:
            fresh, keys = reminders(f"central/{channel}", missing)
            if fresh:
                out.append(Outbound("central", channel, to, messages.deliveries_missing(fresh, today_text), keys))
    for slug, audience in sorted(config.boroughs.items()):
        if slug not in boroughs:
            continue
        code, name = boroughs[slug]
        mine = [d for d in deliveries if d.borough_slug == slug]
        own_missing = [m for m in missing if m.borough_slug == slug]
        withheld = night.published and any(s.borough_code == code for s in night.withheld)
        for channel, to in _channels(audience):
            who = f"borough:{slug}"
            if mine and "receipt" in audience.events:
                out.append(Outbound(who, channel, to, messages.receipt(name, code, slug, night.run_id, mine)))
            if own_missing and "delivery_missing" in audience.events:
                fresh, keys = reminders(f"{who}/{channel}", own_missing)
                if fresh:
                    out.append(Outbound(who, channel, to, messages.deliveries_missing(fresh, today_text, name), keys))
            if withheld and "night_withheld" in audience.events:
                out.append(Outbound(who, channel, to, messages.night_withheld(night, names, code)))
    return out


def send(outbound: list[Outbound], channels: Channels, ledger: SentLedger, today: dt.date,
         log: Callable[[str], None]) -> NotifyReport:
    report = NotifyReport()
    down: set[str] = set()
    for o in outbound:
        if o.channel in down:
            report.failed.append((o.audience, o.channel, o.message.event, "channel down"))
            continue
        try:
            if o.channel == "email":
                block, body = channels.email(list(o.recipients)), None
            else:
                name = o.channel.split(":", 1)[1]
                block, body = channels.webhook(name), channels.webhook_body(name, o.message)
        except NotConfigured as exc:
            if str(exc) not in report.not_configured:
                report.not_configured.append(str(exc))
                log(f"not sent: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a broken channel never stops the night
            down.add(o.channel)
            report.failed.append((o.audience, o.channel, o.message.event, type(exc).__name__))
            log(f"NOT SENT: {o.message.event} to {o.audience} by {o.channel}: the channel could not be set up "
                f"({type(exc).__name__})")
            continue
        message, body = _scrubbed(o.message, body, log)
        try:
            deliver(block, message, body)
        except Exception as exc:  # noqa: BLE001
            down.add(o.channel)
            report.failed.append((o.audience, o.channel, o.message.event, type(exc).__name__))
            log(f"NOT SENT: {o.message.event} to {o.audience} by {o.channel} ({type(exc).__name__}); later "
                "messages on this channel are skipped tonight")
            continue
        ledger.record(o.reminder_keys, today)
        report.sent.append((o.audience, o.channel, o.message.event))
        count = f" ({len(o.recipients)} recipient{'s' if len(o.recipients) != 1 else ''})" if o.recipients else ""
        log(f"sent {o.message.event} to {o.audience} by {o.channel}{count}")
    return report


def _scrubbed(message: Message, body: str | None, log: Callable[[str], None]) -> tuple[Message, str | None]:
    """Defence in depth: messages are templates, but anything identifier-like (NHS number, phone, e-mail,
    postcode, long number) that still reached one is replaced by a tag before it leaves the machine."""
    from fhub.privacy import scrub

    subject, found = scrub(message.subject)
    text, more = scrub(message.body)
    body, extra = scrub(body) if body is not None else (None, [])
    kinds = sorted(set(found + more + extra))
    if kinds:
        log(f"identifier-like text ({', '.join(kinds)}) was removed from a {message.event} message before sending")
    return Message(message.event, subject or "", text or ""), body


def tell_people(paths: Paths, night: NightOutcome, *, config: NotifyConfig | None = None,
                today: dt.date | None = None, env: Mapping[str, str] | None = None,
                log: Callable[[str], None] | None = None) -> NotifyReport:
    """Tell the central team and the boroughs' data officers what tonight means for them."""
    from fhub.landing.land import load_mappings

    log = log or logging.getLogger("fhub.notify").info
    today = today or dt.date.today()
    config = config or load_notify_config(config_path(paths.project))
    if not config.anyone:
        log("nobody is configured to be told (config/notifications.yml); no notifications sent")
        return NotifyReport()
    mappings, _ = load_mappings(paths.borough_config)
    unknown = sorted(set(config.boroughs) - set(mappings))
    if unknown:
        log(f"config/notifications.yml names {len(unknown)} borough(s) without a mapping file: "
            f"{', '.join(unknown)}; they are not told anything")
    boroughs = {slug: (m.borough_code, m.borough_name) for slug, m in mappings.items()}
    wants_missing = "delivery_missing" in config.central.events or any(
        "delivery_missing" in a.events for a in config.boroughs.values())
    try:
        deliveries = run_deliveries(paths.work_db, night.run_id)
        history = delivery_ledger(paths.work_db) if wants_missing else []
    except duckdb.Error as exc:  # e.g. the work file is locked: tell what can be told without it
        log(f"the landing ledger could not be read ({type(exc).__name__}): no receipts or missing deliveries "
            "tonight")
        deliveries, history, wants_missing = [], [], False
    missing = (missing_deliveries(mappings, history, today, config.due.days_after_period_end,
                                  config.due.not_before) if wants_missing else [])
    ledger = SentLedger(paths.data / "notify" / "sent.json")
    outbound = plan(config, night, deliveries, missing, boroughs, today, ledger)
    report = send(outbound, Channels(config, env), ledger, today, log)
    ledger.save(today)
    log(report.summary())
    return report
