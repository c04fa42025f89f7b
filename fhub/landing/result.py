"""What landing reports back: one :class:`DeliveryOutcome` per file seen, gathered in a :class:`LandingResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fhub.landing.labels import delivery_label


@dataclass
class DeliveryOutcome:
    source_file: str
    borough_slug: str
    sha256: str
    #: landed | superseded (landed, but a newer delivery for the period already exists) | held (stored, not in
    #: use: its rows belong to another period, or it drops too much of the delivery it would replace) |
    #: quarantined | skipped (same bytes already received) | waiting (no valid borough mapping yet; left in
    #: incoming) | duplicate (these bytes were received under another period's name) | ignored (a temporary or
    #: hidden file) | refused (a symbolic link)
    status: str
    borough_code: str | None = None
    extract_type: str | None = None
    period: str | None = None
    rows_delivered: int = 0
    rows_landed: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    reason: str | None = None
    fix: str | None = None
    supersedes: list[str] = field(default_factory=list)
    #: delivery id of the delivery in use instead of this one (status superseded)
    superseded_by: str | None = None
    file_warnings: list[tuple[str | None, str, str]] = field(default_factory=list)
    #: the row of ``landing.reconciliation`` (:meth:`fhub.landing.ledger.Ledger.row`)
    ledger: tuple | None = None
    #: duplicate: the delivery id these bytes were received as
    duplicate_of: str | None = None
    #: ignored / refused: the ``landing.file_events`` key (name, size and time, hashed)
    event_key: str | None = None
    #: ignored / refused: how the file is named instead of a label (its type, size and time, never its name)
    description: str | None = None

    #: = sha256, except for a nil return whose bytes equal an earlier nil return for another period (see
    #: :func:`fhub.landing.stage.nil_return_id`)
    delivery_id: str = ""

    def __post_init__(self) -> None:
        self.delivery_id = self.delivery_id or self.sha256

    @property
    def label(self) -> str:
        """How messages, logs and published records name this delivery (never by its file name)."""
        if self.description:
            return self.description
        return delivery_label(self.borough_slug, self.extract_type, self.period, self.delivery_id)

    def check_accounting(self) -> None:
        if self.rows_landed + self.rows_rejected != self.rows_delivered:
            raise AssertionError(
                f"{self.label}: landed {self.rows_landed} + rejected {self.rows_rejected} "
                f"!= delivered {self.rows_delivered}"
            )


@dataclass
class LandingResult:
    run_id: str
    deliveries: list[DeliveryOutcome] = field(default_factory=list)
    receipts: list[Path] = field(default_factory=list)
    #: files deleted from incoming/ after landing (``incoming_after="remove"``)
    removed_from_incoming: list[Path] = field(default_factory=list)

    def by_status(self, status: str) -> list[DeliveryOutcome]:
        return [d for d in self.deliveries if d.status == status]

    @property
    def landed(self) -> list[DeliveryOutcome]:
        """Deliveries whose rows were stored (in use or not: landed, superseded, held)."""
        return [d for d in self.deliveries if d.status in ("landed", "superseded", "held")]

    @property
    def quarantined(self) -> list[DeliveryOutcome]:
        return self.by_status("quarantined")

    @property
    def skipped(self) -> list[DeliveryOutcome]:
        return self.by_status("skipped")

    @property
    def rows_delivered(self) -> int:
        return sum(d.rows_delivered for d in self.landed)

    @property
    def rows_landed(self) -> int:
        return sum(d.rows_landed for d in self.landed)

    @property
    def rows_rejected(self) -> int:
        return sum(d.rows_rejected for d in self.landed)

    def summary(self) -> str:
        return (f"{len(self.landed)} file(s) landed ({self.rows_landed:,} rows landed, {self.rows_rejected:,} "
                f"rejected of {self.rows_delivered:,} delivered; {len(self.by_status('held'))} held), "
                f"{len(self.quarantined)} quarantined, {len(self.skipped)} already landed, "
                f"{len(self.by_status('duplicate'))} duplicates of other deliveries, "
                f"{len(self.by_status('waiting'))} waiting for a mapping")
