"""What happened tonight, as plain facts the messages are built from: the night's outcome (from the flow),
the deliveries landing recorded for the run and the delivery ledger (both read-only from the work file).
Only ids, codes, counts and the project's own check names - never text that came from a borough's file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Scope:
    """A withheld borough × extract × period (None: every extract / period of the borough)."""

    borough_code: str
    extract_type: str | None
    period: str | None
    reasons: int = 0


@dataclass(frozen=True)
class NightOutcome:
    run_id: str
    mode: str = "demo"
    published: bool = False
    #: the stage the flow was in when it stopped with an error (None: it finished)
    stopped_at: str | None = None
    #: the exception's class name only (its message may quote data)
    error_type: str | None = None
    #: how many reasons the publish gate gave for blocking the whole night
    block_reasons: int = 0
    #: dbt nodes that failed (the project's own model and test names)
    failed_checks: tuple[str, ...] = ()
    withheld: tuple[Scope, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> bool:
        return not self.published

    @classmethod
    def from_gate(cls, run_id: str, mode: str, published: bool, gate: dict,
                  failed_checks: list[str] | tuple[str, ...] = ()) -> NightOutcome:
        """From the flow's summary: ``gate`` is ``PublishDecision.to_dict()``."""
        scopes = tuple(Scope(s["borough_code"], s.get("extract_type"), s.get("period"), len(s.get("reasons") or ()))
                       for s in gate.get("withheld_scopes") or ())
        return cls(run_id=run_id, mode=mode, published=published, block_reasons=len(gate.get("block_reasons") or ()),
                   failed_checks=tuple(dict.fromkeys(failed_checks)), withheld=scopes)

    @classmethod
    def stopped(cls, run_id: str, mode: str, stage: str, exc: BaseException) -> NightOutcome:
        return cls(run_id=run_id, mode=mode, published=False, stopped_at=stage, error_type=type(exc).__name__)


@dataclass(frozen=True)
class DeliveryLine:
    """One delivery landing recorded in a run (a row of ``landing.deliveries``)."""

    delivery_id: str
    borough_slug: str
    borough_code: str | None
    extract_type: str | None
    period: str | None
    status: str
    rows_delivered: int = 0
    rows_landed: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    file_warnings: int = 0

    @property
    def needs_action(self) -> bool:
        return self.status not in ("landed", "superseded") or bool(
            self.rows_rejected or self.rows_warned or self.file_warnings)


def _connect(work_db: Path) -> duckdb.DuckDBPyConnection | None:
    if not Path(work_db).exists():
        return None
    return duckdb.connect(str(work_db), read_only=True)


def run_deliveries(work_db: Path, run_id: str) -> list[DeliveryLine]:
    """Every delivery recorded by ``run_id`` (empty when there is no work file or landing did not run)."""
    con = _connect(work_db)
    if con is None:
        return []
    try:
        rows = con.execute("""
            select d.delivery_id, d.borough_slug, d.borough_code, d.extract_type, d.period, d.status,
                   d.rows_delivered, d.rows_landed, d.rows_rejected, d.rows_warned,
                   (select count(*) from landing.warnings w
                    where w.delivery_id = d.delivery_id and w.run_id = d.run_id and w.row_number is null)
            from landing.deliveries d where d.run_id = ? order by d.borough_slug, d.extract_type, d.period
        """, [run_id]).fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()
    return [DeliveryLine(*r) for r in rows]


def ledger_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(borough_code, extract_type, period, status) of every delivery ever recorded, from an open work file (the
    rows :func:`fhub.notify.due.missing_deliveries` reads; landing's receipts use it on landing's connection)."""
    return con.execute("select borough_code, extract_type, period, status from landing.deliveries "
                       "where borough_code is not null and extract_type is not null and period is not null"
                       ).fetchall()


def delivery_ledger(work_db: Path) -> list[tuple[str, str, str, str]]:
    """:func:`ledger_rows` of the work file at ``work_db`` (empty when there is none, or no landing yet)."""
    con = _connect(work_db)
    if con is None:
        return []
    try:
        return ledger_rows(con)
    except duckdb.CatalogException:
        return []
    finally:
        con.close()
