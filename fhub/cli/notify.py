"""``fhub`` subcommands: notifications: test the channels, set up the automations."""

from __future__ import annotations

import argparse
import sys

from fhub.settings import Paths


def _cmd_notify(args: argparse.Namespace) -> int:
    from fhub.notify import NotifyConfigError, load_notify_config
    from fhub.notify.config import config_path

    paths = Paths.from_env()
    try:
        config = load_notify_config(config_path(paths.project))
    except NotifyConfigError as exc:
        print(f"fhub notify: {exc}", file=sys.stderr)
        return 2
    if args.action == "setup":
        from fhub.notify.automations import setup_automations

        for line in setup_automations(config):
            print(line)
        return 0
    from fhub.notify.channels import Channels, NotConfigured, deliver
    from fhub.notify.messages import PREFIX, Message

    message = Message("test", f"{PREFIX} Test message", "A test from `fhub notify test`: this channel works.")
    channels, failed = Channels(config), 0
    targets = [("email", lambda: channels.email(list(config.central.email)))] if config.central.email else []
    targets += [(f"webhook:{n}", lambda n=n: channels.webhook(n)) for n in config.central.webhooks]
    for name, block in targets:
        try:
            deliver(block(), message)
            print(f"{name}: sent")
        except NotConfigured as exc:
            print(f"{name}: not configured ({exc})")
        except Exception as exc:  # noqa: BLE001 - report every channel
            failed += 1
            print(f"{name}: FAILED ({type(exc).__name__})")
    return 1 if failed else 0


def register(sub) -> None:
    """Add this group's subcommands to the ``fhub`` parser."""
    notify = sub.add_parser("notify", help="notifications: test the central team's channels, or set up the "
                            "Prefect automations (crashed / missing night)")
    notify.add_argument("action", choices=["test", "setup"],
                        help="test: send a test message to the central team's channels; setup: save them as "
                        "Prefect blocks and create the automations (needs PREFECT_API_URL)")
    notify.set_defaults(func=_cmd_notify)
