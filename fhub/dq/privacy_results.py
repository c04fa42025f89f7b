"""Identifier-like text found in the work file (:func:`fhub.privacy.gate.scan_run`) → ``dq.check_results`` rows
(source ``privacy``): one failing, blocking check per borough x extract x period it came from, with a plain,
templated reason. A finding that cannot be attributed to a borough and extract (e.g. from a file whose name
matched no agreed pattern) is a warning: it never withholds a whole borough, nor blocks the others; the
pipeline's own text holding it has already been scrubbed.

Run it after landing, dbt and GX results are recorded and before :func:`fhub.dq.decide_publish`.
"""

from __future__ import annotations

import duckdb

from fhub.dq.results import CheckResult, write_check_results
from fhub.privacy.findings import Finding, Scope
from fhub.privacy.gate import WORK_FILE, finding_sentence, scan_run

CHECK_NAME = "no_identifiers_in_work_file"
FIX = ("Identifiers (NHS numbers, UPNs, National Insurance numbers, e-mail addresses, phone numbers, full "
       "postcodes) belong only in the agreed identifier columns, which become keyed hashes at landing - never in "
       "free text, codes or file names. Remove them at source and send a corrected file for this period.")


def privacy_check_results(findings: list[Finding]) -> list[CheckResult]:
    by_scope: dict[Scope, list[Finding]] = {}
    for f in findings:
        by_scope.setdefault(f.scope or Scope(), []).append(f)
    out = []
    for scope, found in sorted(by_scope.items(), key=lambda item: repr(item[0])):
        attributed = scope.attributed
        message = finding_sentence(found, WORK_FILE) + (
            " Values from this delivery scope are withheld tonight." if attributed else
            " It could not be attributed to a borough and extract, so nothing is withheld; the pipeline's own "
            "text holding it was replaced by a tag.")
        out.append(CheckResult(
            check_name=CHECK_NAME, source="privacy", dimension="validity",
            severity="withhold_scope" if attributed else "warn",
            status="fail" if attributed else "warn",
            borough_code=scope.borough_code, extract_type=scope.extract_type, period=scope.period,
            target_relation=",".join(sorted({f.location.rsplit(".", 1)[0] for f in found})),
            observed_value=str(sum(f.count for f in found)), failing_rows=sum(f.count for f in found),
            message=message, fix=FIX))
    return out


def record_privacy_results(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Finding]:
    """Scan tonight's additions to the work file, scrub the pipeline's own text, record the check results."""
    findings = scan_run(con, run_id)
    write_check_results(con, run_id, "privacy", privacy_check_results(findings))
    return findings
