"""What happens to a delivered file in ``incoming/`` once landing has recorded it.

Plaintext personal data should not sit in the drop folder indefinitely: the night keeps every original
encrypted (``archive/``, ``quarantine/``), so a file whose delivery is recorded is deleted from ``incoming/``
(``FHUB_INCOMING_AFTER_LANDING=remove``, the nightly's default; ``keep`` leaves the folder alone):

* ``landed`` / ``superseded`` - recorded, original archived encrypted: removed;
* ``held`` - rows stored but not in use (a resubmission to confirm, or another period's rows), original
  archived encrypted: removed (``fhub confirm`` works from the stored rows; a wrong-period file is sent again);
* ``quarantined`` - original kept encrypted under ``quarantine/<delivery_id>/``: removed (the borough sends a
  corrected file; the hub data team can decrypt the quarantined one with ``fhub archive open``);
* ``skipped`` - the same bytes were received on an earlier night (and are archived then): removed;
* ``waiting`` - no valid borough mapping yet: KEPT, so it lands on the first night after the mapping is fixed
  (its receipt says so);
* a file that changed (size or modification time) while the night ran is KEPT: the new bytes land next night.

Removal happens only after the landing transaction and receipts are committed; a kill before that leaves the
files in place and the next night lands (or skips) them again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from fhub.landing.archive import archive_path
from fhub.landing.result import DeliveryOutcome
from fhub.settings import Paths

POLICIES = ("remove", "keep")
ENV_VAR = "FHUB_INCOMING_AFTER_LANDING"
#: statuses whose file leaves incoming/ under the ``remove`` policy
REMOVED_STATUSES = ("landed", "superseded", "held", "quarantined", "skipped")


def incoming_policy(value: str | None) -> str:
    """Validate a policy (``None``/empty: ``remove``)."""
    policy = (value or "remove").strip().lower()
    if policy not in POLICIES:
        raise ValueError(f"{ENV_VAR} must be one of {', '.join(POLICIES)} (got {policy!r}).")
    return policy


def tidy_incoming(paths: Paths, files: list[tuple[str, Path]], outcomes: list[DeliveryOutcome],
                  policy: str, seen: dict[Path, tuple[int, float]] | None = None) -> list[Path]:
    """Delete the files of ``files`` (borough slug, path) whose outcome allows it (see the module doc).
    ``seen``: (size, mtime) of each path when it was discovered; a file that differs now is kept. Returns the
    paths removed."""
    if incoming_policy(policy) == "keep":
        return []
    by_name = {(o.borough_slug, o.source_file): o for o in outcomes}
    removed: list[Path] = []
    for slug, path in files:
        out = by_name.get((slug, path.name))
        if out is None or out.status not in REMOVED_STATUSES:
            continue
        if out.status != "skipped" and not archive_path(paths.archive, out.sha256).exists():
            continue  # never delete the only copy
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if seen is not None and path in seen and seen[path] != (st.st_size, st.st_mtime):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
