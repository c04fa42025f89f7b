"""``config/notifications.yml``: who hears what, and how. Configuration only: no passwords, no webhook URLs.

Read by :func:`load_notify_config` (``FHUB_NOTIFY_CONFIG`` points at another file). A missing file means
"nobody is told" (the nightly logs one line). A broken file raises :class:`NotifyConfigError` naming the key
and the fix; the nightly logs it and carries on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: what the central team can hear about
CENTRAL_EVENTS = ("night_failed", "night_withheld", "delivery_missing")
#: what a borough's data officer can hear about (their own borough only)
BOROUGH_EVENTS = ("receipt", "delivery_missing", "night_withheld")
WEBHOOK_FORMATS = ("teams", "slack", "plain")
CADENCES = ("day", "month", "quarter", "academic_year")
_DEFAULT_DUE_DAYS = {"month": 10, "quarter": 20, "academic_year": 61}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class NotifyConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Webhook:
    name: str
    format: str = "plain"
    url_env: str | None = None
    block: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who (e-mail addresses, webhook names) hears which events."""

    email: tuple[str, ...] = ()
    webhooks: tuple[str, ...] = ()
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueRule:
    """When a delivery is due: ``days_after_period_end`` per cadence (the coarsest ``period_format`` of a
    borough's file specs for the extract); periods ending before ``not_before`` are never reported."""

    days_after_period_end: dict[str, int] = field(default_factory=lambda: dict(_DEFAULT_DUE_DAYS))
    not_before: dt.date | None = None
    remind_every_days: int = 7


@dataclass(frozen=True)
class NotifyConfig:
    sender: str = "family-hubs-pipeline@localhost"
    smtp_env_prefix: str = "FHUB_SMTP"
    smtp_block: str | None = None
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    central: Audience = Audience()
    boroughs: dict[str, Audience] = field(default_factory=dict)
    due: DueRule = DueRule()
    source: Path | None = None

    @property
    def anyone(self) -> bool:
        return bool(self.central.email or self.central.webhooks
                    or any(a.email or a.webhooks for a in self.boroughs.values()))


def config_path(project: Path) -> Path:
    return Path(os.environ.get("FHUB_NOTIFY_CONFIG") or Path(project) / "config" / "notifications.yml")


def _fail(path: Path, key: str, problem: str, fix: str) -> NotifyConfigError:
    return NotifyConfigError(f"{path.name}: {key}: {problem}. {fix}")


def _strings(path: Path, key: str, value, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, "must be a list of text values", "Write it as [a, b] or one '- item' per line")
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise _fail(path, key, f"unknown value(s) {', '.join(unknown)}", f"Use some of: {', '.join(allowed)}")
    return tuple(value)


def _audience(path: Path, key: str, doc, events: tuple[str, ...], default_events: tuple[str, ...],
              webhooks: dict[str, Webhook]) -> Audience:
    if doc is None:
        return Audience()
    if not isinstance(doc, dict) or set(doc) - {"email", "webhooks", "events"}:
        raise _fail(path, key, "must have only the keys email, webhooks, events", "Remove the other keys")
    email = _strings(path, f"{key}.email", doc.get("email"))
    bad = [a for a in email if not _EMAIL.match(a)]
    if bad:
        raise _fail(path, f"{key}.email", f"{len(bad)} value(s) are not e-mail addresses", "Fix the addresses")
    hooks = _strings(path, f"{key}.webhooks", doc.get("webhooks"), tuple(webhooks))
    chosen = _strings(path, f"{key}.events", doc.get("events"), events) if "events" in doc else default_events
    return Audience(email=email, webhooks=hooks, events=chosen)


def load_notify_config(path: Path) -> NotifyConfig:
    path = Path(path)
    if not path.exists():
        return NotifyConfig(source=None)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise NotifyConfigError(f"{path.name}: not valid YAML ({type(exc).__name__}); fix the syntax") from exc
    if not isinstance(doc, dict):
        raise _fail(path, "(top)", "must be a mapping", "See README.md, 'Notifications'")
    unknown = set(doc) - {"email", "webhooks", "central", "boroughs", "due"}
    if unknown:
        raise _fail(path, ", ".join(sorted(unknown)), "unknown key", "Use email, webhooks, central, boroughs, due")
    email = doc.get("email") or {}
    webhooks: dict[str, Webhook] = {}
    for name, spec in (doc.get("webhooks") or {}).items():
        spec = spec or {}
        fmt = spec.get("format", "plain")
        if fmt not in WEBHOOK_FORMATS:
            raise _fail(path, f"webhooks.{name}.format", f"'{fmt}' is not known", f"Use {', '.join(WEBHOOK_FORMATS)}")
        if not (spec.get("url_env") or spec.get("block")):
            raise _fail(path, f"webhooks.{name}", "has neither url_env nor block",
                        "Name the environment variable holding the URL (url_env) or a saved Prefect block (block)")
        webhooks[str(name)] = Webhook(str(name), fmt, spec.get("url_env"), spec.get("block"))
    central = _audience(path, "central", doc.get("central"), CENTRAL_EVENTS, CENTRAL_EVENTS, webhooks)
    boroughs = {str(slug): _audience(path, f"boroughs.{slug}", a, BOROUGH_EVENTS, BOROUGH_EVENTS, webhooks)
                for slug, a in (doc.get("boroughs") or {}).items()}
    return NotifyConfig(sender=str(email.get("sender") or NotifyConfig.sender),
                        smtp_env_prefix=str(email.get("smtp_env_prefix") or "FHUB_SMTP"),
                        smtp_block=email.get("block"), webhooks=webhooks, central=central, boroughs=boroughs,
                        due=_due(path, doc.get("due") or {}), source=path)


def _due(path: Path, doc: dict) -> DueRule:
    days = dict(_DEFAULT_DUE_DAYS)
    for cadence, n in (doc.get("days_after_period_end") or {}).items():
        if cadence not in CADENCES or not (n is None or (isinstance(n, int) and n >= 0)):
            raise _fail(path, f"due.days_after_period_end.{cadence}", "must be a cadence with a whole number "
                        "of days (or null: never due)", f"Cadences: {', '.join(CADENCES)}")
        if n is None:
            days.pop(cadence, None)
        else:
            days[cadence] = n
    not_before = doc.get("not_before")
    if not_before is not None and not isinstance(not_before, dt.date):
        raise _fail(path, "due.not_before", "must be a date", "Write it as YYYY-MM-DD")
    remind = doc.get("remind_every_days", 7)
    if not isinstance(remind, int) or remind < 1:
        raise _fail(path, "due.remind_every_days", "must be a whole number of days, 1 or more", "e.g. 7")
    return DueRule(days_after_period_end=days, not_before=not_before, remind_every_days=remind)
