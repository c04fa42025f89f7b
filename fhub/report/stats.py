"""Small statistics the report needs: Wilson limits (funnel plots), a weighted linear projection."""

from __future__ import annotations

import math

Z95 = 1.959963984540054
Z998 = 3.090232306167813


def wilson(numerator: float, denominator: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion, as a fraction (0–1)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    p = min(max(numerator / denominator, 0.0), 1.0)  # a rounded or published figure can stray past 0–1
    z2 = z * z
    centre = p + z2 / (2 * denominator)
    spread = z * math.sqrt(p * (1 - p) / denominator + z2 / (4 * denominator * denominator))
    scale = 1 + z2 / denominator
    return ((centre - spread) / scale, (centre + spread) / scale)


def funnel_limits(p0: float, denominator: float, z: float) -> tuple[float, float]:
    """Control limits around a target proportion ``p0`` (fraction) for a unit of size ``denominator``.

    Wilson score limits for an observed proportion equal to ``p0`` (the method PHE's funnel-plot tools use
    for proportions), so they stay inside 0–1 for small denominators.
    """
    return wilson(p0 * denominator, denominator, z)


def linear_projection(
    xs: list[float], ys: list[float], x_new: float, z: float = Z95
) -> tuple[float, float, float] | None:
    """Least-squares line through (xs, ys); returns (prediction, lower, upper) at ``x_new``.

    The interval is the prediction interval of a new point. ``None`` when fewer than 3 points.
    """
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    resid = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    s2 = sum(r * r for r in resid) / (n - 2) if n > 2 else 0.0
    se = math.sqrt(s2 * (1 + 1 / n + (x_new - mx) ** 2 / sxx))
    pred = intercept + slope * x_new
    # t quantile would be more exact for small n; z keeps it dependency-free and is labelled as approximate.
    return (pred, pred - z * se, pred + z * se)
