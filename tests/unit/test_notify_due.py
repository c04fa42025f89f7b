"""When a delivery is due and missing (fhub.notify.due): the coarsest cadence of a borough's file specs,
daily files counting towards their month, quarantined files not counting, only the latest due period."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

from fhub.notify.due import expected_cadences, latest_due_period, missing_deliveries

DAYS = {"month": 10, "quarter": 20, "academic_year": 61}


def _mapping(code, name, *specs):
    return NS(borough_code=code, borough_name=name, files=[NS(extract=e, period_format=f) for e, f in specs])


MAPPINGS = {
    "hackney": _mapping("E09000012", "Hackney", ("contacts", "month"), ("contacts", "day"),
                        ("eyfsp", "academic_year")),
    "merton": _mapping("E09000024", "Merton", ("contacts", "day")),
    "newham": _mapping("E09000025", "Newham", ("register", "quarter")),
}


def test_latest_due_period_per_cadence():
    assert latest_due_period("month", dt.date(2025, 6, 10), 10) == ("2025-04", dt.date(2025, 5, 10))
    assert latest_due_period("month", dt.date(2025, 6, 11), 10) == ("2025-05", dt.date(2025, 6, 10))
    assert latest_due_period("quarter", dt.date(2025, 7, 21), 20) == ("2025/26 Q1", dt.date(2025, 7, 20))
    assert latest_due_period("academic_year", dt.date(2025, 11, 1), 61) == ("2024/25", dt.date(2025, 10, 31))
    assert latest_due_period("academic_year", dt.date(2025, 10, 31), 61)[0] == "2023/24"


def test_cadence_is_the_coarsest_spec_and_daily_only_is_monthly():
    assert expected_cadences(MAPPINGS) == {("hackney", "contacts"): "month", ("hackney", "eyfsp"): "academic_year",
                                           ("merton", "contacts"): "month", ("newham", "register"): "quarter"}


def test_missing_when_nothing_landed_for_the_latest_due_period():
    today = dt.date(2025, 11, 20)  # October due by 10 Nov, 2025/26 Q2 (Jul-Sep) by 20 Oct, 2024/25 by 31 Oct
    ledger = [
        ("E09000012", "contacts", "2025-10-03", "landed"),  # a daily file covers the month
        ("E09000024", "contacts", "2025-10", "quarantined"),  # received, but did not land
        ("E09000024", "contacts", "2025-09", "landed"),  # an older period does not help
        ("E09000025", "register", "2025/26 Q2", "superseded"),  # superseded = a newer delivery landed
    ]
    missing = missing_deliveries(MAPPINGS, ledger, today, DAYS)
    assert [(m.borough_slug, m.extract, m.period, m.due_on, m.not_landed) for m in missing] == [
        ("hackney", "eyfsp", "2024/25", dt.date(2025, 10, 31), 0),
        ("merton", "contacts", "2025-10", dt.date(2025, 11, 10), 1),
    ]


def test_not_before_and_cadences_switched_off():
    today = dt.date(2025, 11, 20)
    assert missing_deliveries(MAPPINGS, [], today, {"quarter": 20}, not_before=None)[0].borough_slug == "newham"
    assert missing_deliveries(MAPPINGS, [], today, DAYS, not_before=dt.date(2025, 12, 1)) == []
