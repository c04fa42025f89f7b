"""A Prefect notification block for e-mail over SMTP (any mail server: Exchange/Office 365 relay, GOV.UK
Notify's SMTP, a local relay). Prefect 3.8 ships Apprise-based blocks for webhooks and SendGrid but none for
plain SMTP; this one uses Apprise's e-mail plugin the same way. It can be saved like any block
(``fhub notify setup`` registers it) and used by Prefect automations, or built from environment variables
at send time (:mod:`fhub.notify.channels`)."""

from __future__ import annotations

from typing import Literal

from prefect.blocks.notifications import AbstractAppriseNotificationBlock
from pydantic import Field, SecretStr

_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class SmtpEmail(AbstractAppriseNotificationBlock):
    """Send notifications by e-mail through an SMTP server, one message per recipient (recipients never
    see each other's addresses)."""

    _block_type_name = "fhub SMTP Email"
    _block_type_slug = "fhub-smtp-email"
    _description = "E-mail over SMTP (one message per recipient), for the family hubs pipeline."

    smtp_host: str = Field(description="The mail server's host name.")
    smtp_port: int | None = Field(default=None, description="Port (default 587 for starttls, 465 ssl, 25 none).")
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="'none' only for a relay on the same machine or network.")
    username: str | None = Field(default=None, description="Login name, if the server needs one.")
    password: SecretStr | None = Field(default=None, description="Password, if the server needs one.")
    sender: str = Field(description="The From address.")
    to_emails: list[str] = Field(default_factory=list, description="Recipients.")
    timeout: int = Field(default=15, description="Seconds to wait for the server.")

    def block_initialization(self) -> None:
        from apprise import Apprise, AppriseAsset
        from apprise.plugins.email import NotifyEmail

        self._apprise_client = Apprise(asset=AppriseAsset(app_id="Family hubs pipeline",
                                                          app_desc="Family hubs pipeline", app_url=""))
        if not self.to_emails:
            return
        self._apprise_client.add(NotifyEmail(
            host=self.smtp_host, smtp_host=self.smtp_host, port=self.smtp_port or _DEFAULT_PORTS[self.security],
            secure=self.security != "none", secure_mode="insecure" if self.security == "none" else self.security,
            user=self.username, password=self.password.get_secret_value() if self.password else None,
            from_addr=self.sender, targets=list(self.to_emails), format="text",
            socket_connect_timeout=self.timeout, socket_read_timeout=self.timeout))
