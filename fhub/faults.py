"""Deterministic fault injection for the kill -9 tests.

``FHUB_FAULT_AT=<point>`` makes the process SIGKILL itself when it reaches that point: a real, uncatchable
kill at a precise place (landing mid-file, dbt mid-build, validation, publish mid-copy). Unset in normal runs,
where :func:`point` costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "land.mid",  # after some deliveries have landed, before the rest
    "transform.mid",  # while dbt is building (after the first model)
    "validate.mid",  # while GX validates
    "publish.assembled",  # public file assembled, not yet swapped
    "publish.copied",  # copied beside the published file, before os.replace
    "serving.copied",  # PostgreSQL load: the first table copied into the new schema, the rest not yet
    "serving.swapping",  # PostgreSQL load: old mart locked, schemas renamed, not yet committed
)


def point(name: str) -> None:
    if os.environ.get("FHUB_FAULT_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
