"""Shared flow helpers: a progress callback that goes to the Prefect run logger, and I/O-only retries."""

from __future__ import annotations

import logging

from prefect import get_run_logger
from prefect.exceptions import MissingContextError

from fhub.privacy import scrub
from fhub.privacy.findings import may_hold_identifier


def progress_logger(prefix: str = ""):
    try:
        logger = get_run_logger()
    except MissingContextError:  # called outside a flow run (plain function use)
        logger = logging.getLogger("fhub")

    def say(message: str) -> None:
        # a log line is a template, but never let an identifier-like substring reach the log store
        if may_hold_identifier(message):
            message = scrub(message)[0]
        logger.info("%s%s", prefix, message)

    return say


def retry_on_io_error(task, task_run, state) -> bool:  # noqa: ARG001 - Prefect's signature
    """Retry only when the failure was I/O (disk, file system), never on bad data or logic errors."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:  # noqa: BLE001
        return False
    return False
