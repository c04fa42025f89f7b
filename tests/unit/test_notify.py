"""Tell people (fhub.notify) against a real local SMTP server and webhook receiver on 127.0.0.1: a failed
night, a night withheld in part, a due delivery that is missing, and each borough's receipt going only to
that borough's officer. Messages carry ids, codes and counts only - no file names, no absolute paths."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from fhub.landing import land_all
from fhub.notify import NightOutcome, NotifyConfigError, Scope, load_notify_config, tell_people
from fhub.pseudonymise import DEMO_KEY
from fhub.settings import PROJECT_DIR, Paths
from tests.local_receivers import smtp_server, webhook_receiver

RUN = "20260815T020000Z-abc123"
TODAY = dt.date(2026, 8, 15)  # July's monthly files are due by 10 August
CENTRAL = "central@fhub.example"
HACKNEY = "officer@hackney.example"
MERTON = "officer@merton.example"
CONFIG = f"""
email: {{sender: pipeline@fhub.example}}
webhooks:
  central: {{format: teams, url_env: TEST_CENTRAL_HOOK}}
central:
  email: [{CENTRAL}]
  webhooks: [central]
boroughs:
  hackney: {{email: [{HACKNEY}]}}
  merton: {{email: [{MERTON}], events: [receipt]}}
due:
  days_after_period_end: {{month: 10, quarter: 20, academic_year: 61}}
"""


@pytest.fixture(scope="module")
def night_data(tmp_path_factory) -> Path:
    """A work file after landing Hackney's and Merton's demo files as run RUN; Hackney's July contacts
    (monthly and daily) were never sent, and one Hackney file had a row for an unknown hub."""
    from fhub_dev.demo import generate

    root = tmp_path_factory.mktemp("night")
    paths = Paths(project=PROJECT_DIR, data=root / "data").ensure()
    generate(paths.incoming, scale="tiny", seed=7, boroughs=["hackney", "merton"], real_data_dir=None)
    for f in (paths.incoming / "hackney").glob("hackney_contacts_*2026-07*.csv"):
        f.unlink()
    bad = paths.incoming / "hackney" / "hackney_contacts_2026-06.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("HAC-0", "HAC-9", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    land_all(paths, RUN, DEMO_KEY.encode(), key_label="demo")
    return paths.data


@pytest.fixture
def paths(tmp_path, night_data) -> Paths:
    data = tmp_path / "data"
    shutil.copytree(night_data, data)
    return Paths(project=PROJECT_DIR, data=data)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "notifications.yml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_notify_config(path)


@pytest.fixture
def receivers():
    with smtp_server() as box, webhook_receiver() as hooks:
        yield box, hooks, {**box.env(), "TEST_CENTRAL_HOOK": hooks.url}


def _private(texts: list[str], paths: Paths) -> None:
    """No file names and no absolute paths in anything sent."""
    for text in texts:
        assert ".csv" not in text and "hackney_contacts" not in text and "MER_FH" not in text
        assert str(paths.data) not in text and str(PROJECT_DIR) not in text


def test_failed_night_tells_the_central_team_by_email_and_webhook(paths, config, receivers):
    box, hooks, env = receivers
    night = NightOutcome.from_gate(RUN, "demo", False, {"block_reasons": ["dbt build failed: a | b"]},
                                   ["model.fhub.fct_hub_contacts", "test.fhub.unique_dim_hubs_hub_id"])
    report = tell_people(paths, night, config=config, today=TODAY, env=env)
    assert report.failed == []
    central = box.to(CENTRAL)
    failed = [m for m in central if "did NOT publish" in m.subject]
    assert len(failed) == 1 and RUN in failed[0].subject
    assert "publish gate blocked the whole night (1 reason)" in failed[0].body
    assert "model.fhub.fct_hub_contacts" in failed[0].body and "reports/run-summary.md" in failed[0].body
    assert any("did NOT publish" in p["title"] for p in hooks.posts)  # Teams card
    # the borough officers hear about their receipts, never about the partnership's failure
    assert not [m for m in box.to(HACKNEY) + box.to(MERTON) if "did NOT publish" in m.subject]
    _private([m.subject + m.body for m in box.mails] + [str(p) for p in hooks.posts], paths)


def test_night_that_stopped_with_an_error_names_the_step_not_the_message(paths, config, receivers):
    box, _, env = receivers
    night = NightOutcome.stopped(RUN, "demo", "transform", ValueError("a value from a file: 943 476 5919"))
    tell_people(paths, night, config=config, today=TODAY, env=env)
    body = next(m.body for m in box.to(CENTRAL) if "did NOT publish" in m.subject)
    assert "during the 'transform' step (ValueError)" in body and "943" not in body


def test_partly_withheld_night_tells_central_all_scopes_and_each_borough_its_own(paths, config, receivers):
    box, hooks, env = receivers
    night = NightOutcome(RUN, "demo", published=True, withheld=(
        Scope("E09000012", "eyfsp", "2024/25", 2), Scope("E09000024", "contacts", None, 1)))
    tell_people(paths, night, config=config, today=TODAY, env=env)
    central = next(m for m in box.to(CENTRAL) if "withheld" in m.subject)
    assert "2 scopes withheld" in central.subject
    assert "- Hackney (E09000012) - eyfsp - 2024/25 (2 reasons)" in central.body
    assert "- Merton (E09000024) - contacts - every period (1 reason)" in central.body
    hackney = [m for m in box.to(HACKNEY) if "withheld" in m.subject]
    assert len(hackney) == 1 and "Merton" not in hackney[0].body and "E09000024" not in hackney[0].body
    assert not [m for m in box.to(MERTON) if "withheld" in m.subject]  # merton's officer chose receipts only
    assert not [m for m in box.mails if "did NOT publish" in m.subject]
    assert any("withheld" in p["title"] for p in hooks.posts)


def test_missing_due_delivery_is_reported_once_then_weekly(paths, config, receivers):
    box, hooks, env = receivers
    night = NightOutcome(RUN, "demo", published=True)
    tell_people(paths, night, config=config, today=TODAY, env=env)
    central = next(m for m in box.to(CENTRAL) if "missing" in m.subject)
    assert "- Hackney (E09000012) - contacts 2026-07, due by 2026-08-10" in central.body
    assert "Merton" not in central.body  # its quarterly files are all in
    officer = next(m for m in box.to(HACKNEY) if "nothing received" in m.subject)
    assert "- contacts 2026-07, due by 2026-08-10" in officer.body
    assert not [m for m in box.to(MERTON) if "nothing received" in m.subject]
    assert any("missing" in p["title"] for p in hooks.posts)
    box.mails.clear()
    tell_people(paths, night, config=config, today=TODAY + dt.timedelta(days=1), env=env)
    assert not [m for m in box.mails if "missing" in m.subject or "nothing received" in m.subject]
    tell_people(paths, night, config=config, today=TODAY + dt.timedelta(days=7), env=env)
    assert [m for m in box.to(CENTRAL) if "missing" in m.subject]


def test_each_borough_receipt_goes_only_to_its_own_officer(paths, config, receivers):
    box, _, env = receivers
    tell_people(paths, NightOutcome(RUN, "demo", published=True), config=config, today=TODAY, env=env)
    receipts = [m for m in box.mails if "delivery receipt" in m.subject]
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in receipts) == [
        (HACKNEY, "[family hubs] Hackney"), (MERTON, "[family hubs] Merton")]
    assert all(len(m.to) == 1 for m in receipts)
    hackney = next(m for m in receipts if m.to == [HACKNEY])
    assert "Hackney (E09000012)" in hackney.body and "Merton" not in hackney.body
    assert "- contacts 2026-06: 1 row rejected (delivery " in hackney.body
    assert f"receipts/hackney/{RUN}.md" in hackney.body
    assert not [m for m in box.to(CENTRAL) if "receipt" in m.subject]
    _private([m.subject + m.body for m in box.mails], paths)


def test_a_channel_that_is_down_never_raises(paths, config):
    with webhook_receiver() as hooks:
        hooks.status = 500
        env = {"FHUB_SMTP_HOST": "127.0.0.1", "FHUB_SMTP_PORT": "1", "FHUB_SMTP_SECURITY": "none",
               "TEST_CENTRAL_HOOK": hooks.url}
        report = tell_people(paths, NightOutcome(RUN, "demo", published=False), config=config, today=TODAY,
                             env=env)
    assert report.sent == [] and report.failed
    assert {f[1] for f in report.failed} == {"email", "webhook:central"}


def test_unconfigured_channels_send_nothing_and_say_so(paths, config):
    said: list[str] = []
    report = tell_people(paths, NightOutcome(RUN, "demo", published=False), config=config, today=TODAY, env={},
                         log=said.append)
    assert report.sent == [] and report.failed == []
    assert any("set FHUB_SMTP_HOST" in s for s in said) and any("set TEST_CENTRAL_HOOK" in s for s in said)


def test_config_errors_name_the_key(tmp_path):
    bad = tmp_path / "n.yml"
    bad.write_text("central: {events: [night_exploded]}\n", encoding="utf-8")
    with pytest.raises(NotifyConfigError, match="central.events: unknown value.*night_exploded"):
        load_notify_config(bad)
    bad.write_text("webhooks: {teams: {format: teams}}\n", encoding="utf-8")
    with pytest.raises(NotifyConfigError, match="neither url_env nor block"):
        load_notify_config(bad)
    assert not load_notify_config(tmp_path / "absent.yml").anyone


def test_the_shipped_config_is_valid_and_holds_no_secrets():
    path = PROJECT_DIR / "config" / "notifications.yml"
    config = load_notify_config(path)
    assert config.central.events and set(config.boroughs) <= {p.stem for p in (PROJECT_DIR / "config" / "boroughs")
                                                             .glob("*.yml")}
    text = path.read_text(encoding="utf-8").lower()
    assert "http://" not in text and "https://" not in text and "password:" not in text


def test_the_nightly_task_swallows_every_error(monkeypatch, tmp_path):
    import fhub.notify
    from flows.nightly import tell_people_task

    def broken(*args, **kwargs):
        raise NotifyConfigError("notifications.yml: central: broken")

    monkeypatch.setattr(fhub.notify, "tell_people", broken)
    result = tell_people_task.fn(Paths(project=PROJECT_DIR, data=tmp_path), NightOutcome(RUN))
    assert result == {"error": "NotifyConfigError"}


def test_cli_notify_test_sends_to_the_central_channels(tmp_path, monkeypatch, capsys):
    from fhub.cli import main

    config = tmp_path / "n.yml"
    config.write_text(CONFIG, encoding="utf-8")
    with smtp_server() as box, webhook_receiver() as hooks:
        for k, v in {**box.env(), "TEST_CENTRAL_HOOK": hooks.url, "FHUB_NOTIFY_CONFIG": str(config)}.items():
            monkeypatch.setenv(k, v)
        assert main(["notify", "test"]) == 0
    assert [m.to for m in box.mails] == [[CENTRAL]] and len(hooks.posts) == 1
    assert capsys.readouterr().out.splitlines() == ["email: sent", "webhook:central: sent"]


def test_identifier_like_text_never_leaves_in_a_message(paths, receivers):
    from fhub.notify.channels import Channels
    from fhub.notify.dispatch import Outbound, SentLedger, send
    from fhub.notify.messages import Message

    box, _, env = receivers
    config = load_notify_config(PROJECT_DIR / "config" / "notifications.yml")
    said: list[str] = []
    leaked = Message("receipt", "Receipt for 943 476 5919", "Call 07700 900123 about row 3.")
    report = send([Outbound("borough:hackney", "email", (HACKNEY,), leaked)], Channels(config, env),
                  SentLedger(paths.data / "notify" / "sent.json"), TODAY, said.append)
    assert report.sent and len(box.mails) == 1
    mail = box.mails[0]
    assert "943" not in mail.subject + mail.body and "07700" not in mail.body
    assert "[NHS number removed]" in mail.subject and "[phone number removed]" in mail.body
    assert any("nhs_number" in s and "phone_number" in s for s in said)
