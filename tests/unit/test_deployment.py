"""The nightly deployment's schedule, asserted on the real Prefect deployment object."""

from flows.deploy import DEPLOYMENT_NAME, build_deployment


def test_nightly_runs_at_two_in_the_morning_london_time():
    deployment = build_deployment()
    assert deployment.name == DEPLOYMENT_NAME
    assert deployment.flow_name == "nightly"
    assert len(deployment.schedules) == 1
    schedule = deployment.schedules[0].schedule
    assert schedule.cron == "0 2 * * *"
    assert schedule.timezone == "Europe/London"
    assert deployment.schedules[0].active
