"""A local SMTP server (aiosmtpd) and a local webhook receiver (http.server), both on 127.0.0.1, that keep
what they receive - for the notification tests. Nothing leaves the machine."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mail:
    sender: str
    to: list[str]
    subject: str
    body: str


@dataclass
class Mailbox:
    port: int
    mails: list[Mail] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {"FHUB_SMTP_HOST": "127.0.0.1", "FHUB_SMTP_PORT": str(self.port), "FHUB_SMTP_SECURITY": "none",
                "FHUB_SMTP_FROM": "pipeline@fhub.example"}

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]


@contextlib.contextmanager
def smtp_server():
    from aiosmtpd.controller import Controller

    box = Mailbox(free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            box.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), str(msg["subject"]),
                                  msg.get_content()))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Hooks:
    url: str
    posts: list[dict] = field(default_factory=list)
    status: int = 200


@contextlib.contextmanager
def webhook_receiver():
    port = free_port()
    hooks = Hooks(f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            hooks.posts.append(json.loads(body or b"{}"))
            self.send_response(hooks.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
