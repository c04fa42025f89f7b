"""``fhub notify setup`` against a real local Prefect server: the central team's webhook is saved as a
Prefect block and a crashed nightly run fires the automation that posts to it (a local receiver on
127.0.0.1); the 'no nightly run finished' automation is in place."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.local_receivers import webhook_receiver

pytestmark = pytest.mark.e2e

_CRASHING_NIGHTLY = """
from prefect import flow

@flow(name="nightly")
def nightly():
    raise KeyboardInterrupt  # the process stops mid-run: Prefect records the run as Crashed

nightly()
"""


def test_a_crashed_night_fires_the_automation(prefect_server, tmp_path):
    from prefect.automations import Automation
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from fhub.notify import load_notify_config
    from fhub.notify.automations import CRASHED, NOT_FINISHED, setup_automations

    config_file = tmp_path / "notifications.yml"
    config_file.write_text("webhooks: {central: {format: plain, url_env: AUTOMATION_HOOK}}\n"
                           "central: {webhooks: [central]}\n", encoding="utf-8")
    config = load_notify_config(config_file)
    with webhook_receiver() as hooks, temporary_settings({PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
        done = setup_automations(config, env={"AUTOMATION_HOOK": hooks.url})
        assert any(CRASHED in line for line in done)
        setup_automations(config, env={"AUTOMATION_HOOK": hooks.url})  # idempotent: replaced, not doubled
        proactive = Automation.read(name=NOT_FINISHED)
        assert proactive.trigger.posture == "Proactive"
        assert "prefect.flow-run.Completed" in proactive.trigger.expect
        run = subprocess.run([sys.executable, "-c", _CRASHING_NIGHTLY], env={**os.environ, **prefect_server},
                             capture_output=True, text=True, timeout=120)
        assert run.returncode != 0
        deadline = time.time() + 90
        while not hooks.posts and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # a second (duplicate) post would arrive by now
    assert len(hooks.posts) == 1, hooks.posts
    assert hooks.posts[0]["subject"] == "[family hubs] The nightly run crashed"
    assert "crashed" in hooks.posts[0]["text"] and "{{" not in hooks.posts[0]["text"]
