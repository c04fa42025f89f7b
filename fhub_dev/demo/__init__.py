"""Deterministic synthetic borough deliveries in three export dialects (see :mod:`fhub_dev.demo.generate`).

    from fhub_dev.demo import generate, generate_day
    summary = generate("data/incoming", scale="demo", seed=42)

CLI: ``python -m fhub_dev.demo --out data/incoming --seed 42 --scale demo``.
"""

from fhub_dev.demo.generate import SCALES, GenerationSummary, generate, generate_day

__all__ = ["SCALES", "GenerationSummary", "generate", "generate_day"]
