"""Tell people: the central team hears when a night fails, is withheld in part, or a borough's due delivery
is missing; a borough's data officer hears about their own receipt (and their own missing or withheld data).

Configured in ``config/notifications.yml`` (:mod:`fhub.notify.config`), sent through Prefect notification
blocks (:mod:`fhub.notify.channels`: e-mail over SMTP, Teams/Slack/plain webhooks), from a thin task at the
end of the nightly flow (:func:`tell_people`); a Prefect automation covers a night that crashes or never
runs (:mod:`fhub.notify.automations`). Messages are templates (:mod:`fhub.notify.messages`).
"""

from fhub.notify.config import NotifyConfig, NotifyConfigError, load_notify_config
from fhub.notify.dispatch import NotifyReport, tell_people
from fhub.notify.facts import NightOutcome, Scope

__all__ = [
    "NightOutcome",
    "NotifyConfig",
    "NotifyConfigError",
    "NotifyReport",
    "Scope",
    "load_notify_config",
    "tell_people",
]
