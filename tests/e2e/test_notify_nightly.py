"""The nightly run tells people, through Prefect, against a local SMTP server and webhook receiver: a night
whose publish gate fails tells the central team (e-mail and webhook) and still sends the borough officer the
receipt of tonight's delivery; the run's own result is unchanged by notifying."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import release_held
from tests.e2e.harness import copy_state, fhub
from tests.local_receivers import smtp_server, webhook_receiver

pytestmark = pytest.mark.e2e


def test_failed_night_tells_the_central_team_and_the_officer_gets_the_receipt(baseline, prefect_server, tmp_path):
    data = copy_state(baseline["data"], tmp_path / "data")
    slug = next(baseline["held"].iterdir()).name  # the borough whose newest EYFSP file lands tonight
    release_held(baseline["root"], data)
    con = duckdb.connect(str(data / "work" / "warehouse.duckdb"))
    try:  # a raw identifier in the warehouse: the publish gate blocks the whole night
        delivery = con.execute("select delivery_id, borough_code, period from landing.deliveries "
                               "where extract_type = 'contacts' and status = 'landed' limit 1").fetchone()
        con.execute("insert into raw.hub_contacts (contact_id, person_key, hub_id, service_code, delivery_model, "
                    "contact_date, attended, _delivery_id, _borough_code, _extract_type, _period, _row_number) "
                    "values ('X1', '943 476 5919', 'X', 'stay_and_play', 'direct', date '2024-05-01', true, ?, ?, "
                    "'contacts', ?, 999999)", list(delivery))
    finally:
        con.close()
    config = tmp_path / "notifications.yml"
    config.write_text(f"""
webhooks: {{central: {{format: slack, url_env: E2E_CENTRAL_HOOK}}}}
central: {{email: [central@fhub.example], webhooks: [central]}}
boroughs: {{{slug}: {{email: [officer@{slug}.example], events: [receipt]}}}}
""", encoding="utf-8")
    with smtp_server() as box, webhook_receiver() as hooks:
        env = {**box.env(), "E2E_CENTRAL_HOOK": hooks.url, "FHUB_NOTIFY_CONFIG": str(config)}
        result = fhub(data, "run", "--no-reports", server=prefect_server, env=env)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log[-3000:]
    central = [m for m in box.to("central@fhub.example") if "did NOT publish" in m.subject]
    assert len(central) == 1, log[-3000:]
    assert "publish gate blocked the whole night" in central[0].body
    assert any("did NOT publish" in p["text"] for p in hooks.posts)
    receipts = box.to(f"officer@{slug}.example")
    assert [m.to for m in receipts] == [[f"officer@{slug}.example"]]
    assert "eyfsp" in receipts[0].body and "delivery receipt" in receipts[0].subject
    assert "notify: sent night_failed to central by email" in log
    summary = (data / "reports" / "run-summary.md").read_text()
    assert "published: NO" in summary
