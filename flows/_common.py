"""Shared flow helpers: a progress callback that goes to the Prefect run logger, and I/O-only retries."""

from __future__ import annotations

import logging

from prefect import get_run_logger
from prefect.exceptions import MissingContextError


def progress_logger(prefix: str = ""):
    try:
        logger = get_run_logger()
    except MissingContextError:  # called outside a flow run (plain function use)
        logger = logging.getLogger("fhub")

    def say(message: str) -> None:
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
