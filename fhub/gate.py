"""The publish decision: given dbt's and GX's outcomes, publish everything, part, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Withholding:
    borough_code: str
    extract_type: str
    period: str | None
    reasons: list[str] = field(default_factory=list)


@dataclass
class GateDecision:
    publish: bool
    reasons: list[str] = field(default_factory=list)  # why nothing is published (when publish is False)
    withheld: list[Withholding] = field(default_factory=list)


def decide(dbt_success: bool, dbt_failures: list[dict], gx_results: list[dict]) -> GateDecision:
    """Block everything on a dbt failure or a ``blocking_all`` expectation; otherwise withhold only the
    borough × extract × period scopes that failed a ``withhold_scope`` expectation."""
    reasons: list[str] = []
    if not dbt_success:
        first = "; ".join(f"{f['node']}: {f['message'][:200]}" for f in dbt_failures[:5])
        reasons.append(f"dbt build failed ({len(dbt_failures)} failing nodes): {first}")
    for r in gx_results:
        if not r["success"] and r["severity"] == "blocking_all":
            reasons.append(
                f"GX {r['suite']}/{r['expectation']} ({r.get('column') or 'table'}): {r['message']}"
            )
    if reasons:
        return GateDecision(publish=False, reasons=reasons)

    scopes: dict[tuple[str, str, str | None], Withholding] = {}
    for r in gx_results:
        if r["success"] or r["severity"] != "withhold_scope":
            continue
        scope = r.get("scope") or {}
        for row in r.get("failing_rows") or []:
            borough = row.get(scope.get("borough_code", "borough_code"))
            extract = row.get(scope.get("extract_type", "extract_type"), scope.get("extract_type"))
            period = row.get(scope.get("period", "period"))
            if not borough or not extract:
                continue
            key = (borough, extract, period)
            item = scopes.setdefault(key, Withholding(borough, extract, period))
            reason = f"{r['message']} (check {r['suite']})"
            if reason not in item.reasons:
                item.reasons.append(reason)
        if not r.get("failing_rows"):
            # a scoped check that failed without telling us where cannot be scoped: block everything
            return GateDecision(publish=False, reasons=[f"GX {r['suite']} failed without failing-row keys"])
    return GateDecision(publish=True, withheld=list(scopes.values()))
