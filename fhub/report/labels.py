"""Academic-year labels, number formatting and the GLD target constants shared by the report's pages."""

from __future__ import annotations

TARGET_DEFAULT = 75.0
TARGET_YEAR = 2027  # the 2027/28 results
REFORM_YEAR = 2021  # EYFS reform 2021/22: break in series


def _year(period: str) -> int | None:
    try:
        return int(str(period)[:4]) if "/" in str(period) and "Q" not in str(period) else None
    except ValueError:
        return None


def _label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _fmt(v: float | None, digits: int = 1) -> str:
    return "x" if v is None else f"{v:.{digits}f}"


def _high_is_good(info: dict) -> bool | None:
    pol = str(info.get("polarity") or "high").lower()
    if pol.startswith("low"):
        return False
    if pol.startswith("high"):
        return True
    return None


def definition_of(info: dict) -> str:
    """A metric's definition in words, from the framework: what is counted, out of what."""
    numerator = str(info.get("numerator_definition") or "").strip().rstrip(".")
    denominator = str(info.get("denominator_definition") or "").strip().rstrip(".")
    if denominator.lower().startswith("not applicable"):
        denominator = ""
    if numerator and denominator:
        return f"{numerator}, out of: {denominator[:1].lower() + denominator[1:]}."
    if numerator:
        return f"{numerator}."
    return str(info.get("description") or "").strip() or "not recorded in the framework"
