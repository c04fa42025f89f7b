"""What every ``fhub`` subcommand group shares."""

from __future__ import annotations

import os

#: ``--mode`` choices: ``demo`` (labelled demo keys) or ``production`` (refuses to start without its keys).
MODES = ("demo", "production")


def default_mode() -> str:
    """``FHUB_MODE``, else demo."""
    return os.environ.get("FHUB_MODE", "demo")
