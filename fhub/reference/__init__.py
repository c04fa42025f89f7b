"""Adapters for the real published files (EES, LAIT, Fingertips, LA codes, statistical neighbours, IoD)."""

from fhub.reference.config import ReferenceConfig, load_config
from fhub.reference.land import (
    FileOutcome,
    ReferenceIssue,
    ReferenceResult,
    ensure_reference_tables,
    land_reference,
    land_reference_into,
)

__all__ = [
    "FileOutcome",
    "ReferenceConfig",
    "ReferenceIssue",
    "ReferenceResult",
    "ensure_reference_tables",
    "land_reference",
    "land_reference_into",
    "load_config",
]
