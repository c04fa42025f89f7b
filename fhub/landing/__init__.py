"""Landing: borough deliveries → ``raw.*`` tables (pseudonymised, validated, with lineage) + ``landing.*``
bookkeeping, archive, quarantine and receipts.

Public API::

    land_all(paths, run_id, key, *, key_label, config_dir=None, progress=None) -> LandingResult
    land_file(paths, file_path, run_id, key, *, key_label, ...) -> DeliveryOutcome
    withdraw_delivery(paths, delivery_id, run_id, reason) -> the delivery's label
    ensure_landing_schema(con)
    neutralise_formula(value)          # for exporters: '=1+1' → "'=1+1"
"""

from fhub.landing.ddl import ensure_landing_schema
from fhub.landing.land import land_all, land_file, open_work_db, withdraw_delivery
from fhub.landing.quarantine import Unlandable, safe_file_name
from fhub.landing.result import DeliveryOutcome, LandingResult
from fhub.privacy import neutralise_formula

__all__ = [
    "DeliveryOutcome",
    "LandingResult",
    "Unlandable",
    "ensure_landing_schema",
    "land_all",
    "land_file",
    "neutralise_formula",
    "open_work_db",
    "safe_file_name",
    "withdraw_delivery",
]
