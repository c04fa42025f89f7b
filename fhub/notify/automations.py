"""Prefect automations for what the nightly flow cannot say itself: a night that **crashed** (the process was
killed, ran out of memory, the machine restarted - no task of the flow ran to the end) and a night that
**never finished** (the scheduler or worker was down). Both tell the central team through saved Prefect
notification blocks. Everything else (failed, withheld, missing, receipts) is sent by the flow's last task.

``fhub notify setup`` (against a Prefect server: ``PREFECT_API_URL``) registers the fhub SMTP block type,
saves the central team's channels as blocks - their secrets from the environment into Prefect's block store,
never into the repository - and creates (or replaces) the two automations.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from uuid import UUID

from fhub.notify.channels import Channels, NotConfigured
from fhub.notify.config import NotifyConfig

FLOW_NAME = "nightly"
CRASHED = "fhub: nightly run crashed"
NOT_FINISHED = "fhub: no nightly run finished"
#: a night that has not finished this long after the previous one is reported
NOT_FINISHED_WITHIN = dt.timedelta(hours=26)
_FINISHED = {"prefect.flow-run.Completed", "prefect.flow-run.Failed", "prefect.flow-run.Crashed",
             "prefect.flow-run.Cancelled", "prefect.flow-run.TimedOut"}
_NIGHTLY = {"prefect.resource.role": "flow", "prefect.resource.name": FLOW_NAME}

#: automation message templates (Prefect renders them; only the run's generated name and state name)
CRASHED_SUBJECT = "[family hubs] The nightly run crashed"
CRASHED_BODY = ("The nightly flow run {{ event.resource.get('prefect.resource.name') }} crashed "
                "(the process stopped before the run could finish: killed, out of memory or a restart). "
                "Nothing new was published; yesterday's published mart is still the one analysts see. "
                "Look at the run in the Prefect UI, then run it again (make nightly).")
NOT_FINISHED_SUBJECT = "[family hubs] No nightly run has finished for 26 hours"
NOT_FINISHED_BODY = ("No run of the nightly flow has finished (completed, failed or crashed) in the last 26 hours: "
                     "the scheduler or the worker may be down (make serve). Nothing new has been published.")


def save_central_blocks(config: NotifyConfig, env: Mapping[str, str] | None = None) -> dict[str, UUID]:
    """Save the central team's channels as Prefect blocks; channel → block document id."""
    from fhub.notify.blocks import SmtpEmail

    SmtpEmail.register_type_and_schema()
    channels = Channels(config, os.environ if env is None else env)
    saved: dict[str, UUID] = {}
    if config.central.email:
        try:
            block = channels.email(list(config.central.email))
            saved["email"] = block.save("fhub-central-email", overwrite=True)
        except NotConfigured:
            pass
    for name in config.central.webhooks:
        try:
            block = channels.webhook(name)
        except NotConfigured:
            continue
        hook = config.webhooks[name]
        saved[f"webhook:{name}"] = (block._block_document_id if hook.block
                                    else block.save(f"fhub-webhook-{name}", overwrite=True))
    return saved


def _replace(automation) -> None:
    from prefect.automations import Automation

    try:
        Automation.read(name=automation.name).delete()
    except ValueError:
        pass
    automation.create()


def setup_automations(config: NotifyConfig, env: Mapping[str, str] | None = None) -> list[str]:
    """Create (or replace) both automations; returns one line per thing done."""
    from prefect.automations import Automation, EventTrigger, Posture, SendNotification

    blocks = save_central_blocks(config, env)
    if not blocks:
        return ["No central channel is configured (e-mail: FHUB_SMTP_HOST or email.block; webhooks: url_env "
                "or block): no automations created."]
    crashed = [SendNotification(block_document_id=b, subject=CRASHED_SUBJECT, body=CRASHED_BODY)
               for b in blocks.values()]
    not_finished = [SendNotification(block_document_id=b, subject=NOT_FINISHED_SUBJECT, body=NOT_FINISHED_BODY)
                    for b in blocks.values()]
    _replace(Automation(
        name=CRASHED, description="Tell the central team when a nightly run crashes (fhub notify setup).",
        trigger=EventTrigger(posture=Posture.Reactive, expect={"prefect.flow-run.Crashed"},
                             match_related=_NIGHTLY, threshold=1, within=dt.timedelta(0)),
        actions=crashed))
    _replace(Automation(
        name=NOT_FINISHED, description="Tell the central team when no nightly run finished for 26 hours.",
        trigger=EventTrigger(posture=Posture.Proactive, expect=_FINISHED, match_related=_NIGHTLY, threshold=1,
                             within=NOT_FINISHED_WITHIN),
        actions=not_finished))
    channels = ", ".join(sorted(blocks))
    return [f"saved the central team's channels as Prefect blocks: {channels}",
            f"automation '{CRASHED}': on a crashed nightly run, tell {channels}",
            f"automation '{NOT_FINISHED}': when no nightly run finished for 26 hours, tell {channels}"]
