"""What landing carries per run (:class:`RunContext`) and per delivered file (:class:`Item`, :class:`Prior`)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fhub.landing.columns import ColumnPlan
from fhub.landing.read import Prepared
from fhub.landing.result import DeliveryOutcome
from fhub.privacy.vault import OriginalsKey
from fhub.settings import LandingTuning, Paths


@dataclass
class RunContext:
    paths: Paths
    run_id: str
    key: bytes
    key_label: str
    mappings: dict[str, Any]  # slug → BoroughMapping
    mapping_errors: dict[str, str]  # slug → why its mapping could not be loaded
    hubs_loaded: bool
    today: dt.date
    retry_quarantined: bool = False
    #: encrypts the originals kept in archive/ and quarantine/ (:mod:`fhub.privacy.vault`)
    originals_key: OriginalsKey = field(default_factory=OriginalsKey.demo)
    #: landing's tuning knobs (:class:`fhub.settings.LandingTuning`), resolved at the entry point
    tuning: LandingTuning = field(default_factory=LandingTuning)


@dataclass
class Item:
    """One new delivered file on its way through landing."""

    slug: str
    path: Path
    size: int
    received_at: dt.datetime
    out: DeliveryOutcome
    mapping: Any = None
    spec: Any = None
    spec_index: int = -1
    prep: Prepared | None = None
    plan: ColumnPlan | None = None
    tmp: Path | None = None
    encoding_retry: bool = False
    retry_quarantined: bool = False
    warnings: list[tuple[str | None, str, str]] = field(default_factory=list)
    #: (status, superseded_by) to record when a later file of the same group replaced this one
    db_status: tuple[str, str] | None = None
    #: (kind, reason, fix, looks-like period): the whole file is held (stored, not in use, replaces nothing)
    hold: tuple[str, str, str, str | None] | None = None
    #: what replacing the delivery in use would withdraw (:mod:`fhub.landing.guard`), when it is in the DB
    drop: Any = None
    #: the delivery ids a held resubmission would replace
    would_replace: list[str] = field(default_factory=list)
    #: the file's ledger after the group pass (:class:`fhub.landing.ledger.Ledger`)
    ledger: Any = None
    #: findings about the whole delivery for ``landing.delivery_checks``: (check, column, rows, message, fix)
    checks: list[tuple[str, str | None, int, str, str]] = field(default_factory=list)

    @property
    def sha(self) -> str:
        """The delivery id (= sha256 of the bytes, see :func:`nil_return_id` for the one exception)."""
        return self.out.delivery_id


@dataclass(frozen=True)
class Prior:
    """What is already known about a delivery with the same bytes."""

    status: str
    source_file: str
    run_id: str
    rows_delivered: int = 0
    borough_code: str | None = None
    extract_type: str | None = None
    period: str | None = None
    label: str | None = None  # how messages name it (never by its file name)


def cleanup(item: Item) -> None:
    if item.tmp is not None:
        shutil.rmtree(item.tmp, ignore_errors=True)
