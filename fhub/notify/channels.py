"""Channels are Prefect notification blocks, built when a message is sent:

* e-mail: :class:`fhub.notify.blocks.SmtpEmail` from ``<prefix>_HOST``, ``_PORT``, ``_SECURITY``
  (starttls | ssl | none), ``_USERNAME``, ``_PASSWORD``, ``_FROM`` (prefix ``FHUB_SMTP`` by default), or a
  saved block of that type named in ``email.block``;
* a webhook: Prefect's ``CustomWebhookNotificationBlock`` posting a Teams, Slack or plain JSON payload to the
  URL in the environment variable named by ``url_env``, or any saved Prefect notification block named by
  ``block`` as ``<block-type-slug>/<name>`` (e.g. ``slack-webhook/central-team``).

Secrets (SMTP password, webhook URLs - a webhook URL is a credential) live only in the environment or in
Prefect's block store, never in config. A channel without its settings is "not configured": nothing is sent
and the nightly log says so once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from fhub.notify.config import NotifyConfig, Webhook
from fhub.notify.messages import Message

_PAYLOADS = {
    "slack": {"text": "*{{subject}}*\n{{body}}"},
    "teams": {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": "{{subject}}",
              "title": "{{subject}}", "text": "{{body}}"},
    "plain": {"subject": "{{subject}}", "text": "{{body}}"},
}


class NotConfigured(Exception):  # noqa: N818 - a state, not a failure
    pass


class Channels:
    """Builds the block for each channel; ``env`` is the environment (tests pass their own)."""

    def __init__(self, config: NotifyConfig, env: Mapping[str, str] | None = None):
        self.config = config
        self.env = os.environ if env is None else env

    # --- e-mail -------------------------------------------------------------------------------------
    def email(self, to: list[str]):
        from fhub.notify.blocks import SmtpEmail

        if self.config.smtp_block:
            saved = SmtpEmail.load(self.config.smtp_block)
            settings = {k: getattr(saved, k) for k in SmtpEmail.model_fields if k != "to_emails"}
            return SmtpEmail(**settings, to_emails=to)
        prefix = self.config.smtp_env_prefix
        host = self.env.get(f"{prefix}_HOST")
        if not host:
            raise NotConfigured(f"e-mail is not configured (set {prefix}_HOST, or email.block in the config)")
        port = self.env.get(f"{prefix}_PORT")
        return SmtpEmail(
            smtp_host=host, smtp_port=int(port) if port else None,
            security=self.env.get(f"{prefix}_SECURITY", "starttls").lower(),
            username=self.env.get(f"{prefix}_USERNAME") or None, password=self.env.get(f"{prefix}_PASSWORD") or None,
            sender=self.env.get(f"{prefix}_FROM") or self.config.sender, to_emails=to)

    # --- webhooks -----------------------------------------------------------------------------------
    def webhook(self, name: str):
        hook: Webhook | None = self.config.webhooks.get(name)
        if hook is None:
            raise NotConfigured(f"webhook '{name}' is not defined in the config")
        if hook.block:
            from prefect.blocks.core import Block

            return Block.load(hook.block)
        url = self.env.get(hook.url_env or "")
        if not url:
            raise NotConfigured(f"webhook '{name}' is not configured (set {hook.url_env})")
        from prefect.blocks.notifications import CustomWebhookNotificationBlock

        return CustomWebhookNotificationBlock(name=f"fhub-{name}", url=url, json_data=_PAYLOADS[hook.format],
                                              timeout=15)

    def webhook_body(self, name: str, message: Message) -> str:
        """Teams' cards read Markdown, where one line break is not a new line."""
        hook = self.config.webhooks.get(name)
        return message.body.replace("\n", "\n\n") if hook and hook.format == "teams" else message.body


def deliver(block, message: Message, body: str | None = None) -> None:
    """Send through a Prefect notification block; raises when the block reports a failure."""
    with block.raise_on_failure():
        block.notify(body if body is not None else message.body, message.subject)
