"""Small drawing and date helpers the demo's borough model shares (fhub_dev/demo/model.py and the modules
of its events)."""

from __future__ import annotations

import numpy as np

from fhub_dev.demo.files import Cat

BOOL = (False, True)


def ay_label(y: int) -> str:
    return f"{y}/{(y + 1) % 100:02d}"


def cat(idx: np.ndarray, cats: tuple) -> Cat:
    return Cat(np.asarray(idx, dtype=np.int64), cats)


def choice_rows(rng: np.random.Generator, probs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per row, draw a category from ``probs[group[row]]`` (inverse CDF, vectorised)."""
    cdf = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(group.shape[0])
    return np.minimum((u[:, None] > cdf[group]).sum(axis=1), probs.shape[1] - 1)


def first_of_month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_number(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1
