"""Serve the ``nightly`` deployment: every night at 02:00 London time (BST/GMT aware).

make serve        # = python -m flows.deploy  (needs PREFECT_API_URL pointing at `prefect server start`)
"""

from __future__ import annotations

from prefect.schedules import Cron

from flows.nightly import nightly

DEPLOYMENT_NAME = "nightly-0200-london"
SCHEDULE = Cron("0 2 * * *", timezone="Europe/London")


def build_deployment():
    return nightly.to_deployment(
        name=DEPLOYMENT_NAME,
        schedule=SCHEDULE,
        parameters={"mode": None},
        tags=["family-hubs", "nightly"],
        description="Land borough extracts, dbt build, GX gate, publish the outcome mart, build reports.",
    )


def main() -> None:
    from prefect import serve

    serve(build_deployment())


if __name__ == "__main__":
    main()
