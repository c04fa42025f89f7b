"""Person identifiers become keyed hashes (HMAC-SHA256) at landing; raw values never reach the warehouse.

The key is supplied at run time: ``FHUB_HMAC_KEY`` in the environment, or a Prefect Secret block named
``fhub-hmac-key``. Production mode refuses to start without one. Demo mode uses :data:`DEMO_KEY`, which is
labelled as such everywhere it appears (run manifest, receipts) so demo keys are never mistaken for real ones.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping

DEMO_KEY = "DEMO-KEY-not-for-real-data"
SECRET_BLOCK_NAME = "fhub-hmac-key"
_STRIP = re.compile(r"[\s\-]+")


class MissingKeyError(RuntimeError):
    """Production mode was asked to run without a pseudonymisation key."""


def normalise_identifier(value: str) -> str:
    """Upper-case and drop spaces and hyphens, so ``943 476 5919`` and ``9434765919`` give one key."""
    return _STRIP.sub("", str(value)).upper()


def keyed_hash(key: bytes, value: str | None) -> str | None:
    if value is None:
        return None
    text = normalise_identifier(value)
    if not text:
        return None
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def secret_from_prefect(block_name: str = SECRET_BLOCK_NAME) -> str | None:
    """The value of the Prefect Secret block ``block_name``, or None (no block, no server)."""
    try:
        from prefect.blocks.system import Secret

        return Secret.load(block_name).get()
    except Exception:  # noqa: BLE001 - no block, no server: treated as "not configured"
        return None


def resolve_key(mode: str | None = None, *, env: Mapping[str, str], use_prefect: bool = False) -> tuple[bytes, str]:
    """Return ``(key, label)``. ``label`` is ``"demo"`` or ``"env"``/``"prefect-secret"`` (never the key).

    ``env`` is the entry point's environment (``FHUB_MODE``, ``FHUB_HMAC_KEY``): the nightly's, or the CLI's
    (``fhub check``, ``fhub forget``, ``fhub check-server``) handed down."""
    mode = mode or env.get("FHUB_MODE", "demo")
    env_key = env.get("FHUB_HMAC_KEY")
    if env_key:
        return env_key.encode("utf-8"), "env"
    if use_prefect:
        secret = secret_from_prefect(SECRET_BLOCK_NAME)
        if secret:
            return secret.encode("utf-8"), "prefect-secret"
    if mode == "production":
        raise MissingKeyError(
            "Production mode needs a pseudonymisation key: set FHUB_HMAC_KEY or create the Prefect "
            f"Secret block '{SECRET_BLOCK_NAME}'. Refusing to land personal data without it."
        )
    return DEMO_KEY.encode("utf-8"), "demo"
