"""Deterministic synthetic borough deliveries in three export dialects (see :mod:`fhub.demo.generate`).

    from fhub.demo import generate, generate_day
    summary = generate("data/incoming", scale="demo", seed=42)

CLI: ``python -m fhub.demo --out data/incoming --seed 42 --scale demo``.
"""

from fhub.demo.generate import SCALES, GenerationSummary, generate, generate_day

__all__ = ["SCALES", "GenerationSummary", "generate", "generate_day"]
