"""The run summary (issue 17): a per-borough status table and paths relative to the data folder."""

from __future__ import annotations

from fhub.landing.result import DeliveryOutcome
from fhub.settings import Paths
from fhub.summary import borough_counts, render_summary


def _outcome(slug, code, status, rejected=0):
    return DeliveryOutcome(source_file="f.csv", borough_slug=slug, sha256=f"{slug}{status}{rejected}" * 4,
                           status=status, borough_code=code, extract_type="contacts", period="2024-05",
                           rows_delivered=10, rows_landed=10 - rejected, rows_rejected=rejected)


def test_summary_has_a_borough_status_table_and_no_absolute_paths(tmp_path):
    paths = Paths(project=tmp_path / "project", data=tmp_path / "data")
    deliveries = [_outcome("hackney", "E09000012", "landed", 2), _outcome("hackney", "E09000012", "quarantined"),
                  _outcome("merton", "E09000024", "landed"), _outcome("merton", "E09000024", "skipped")]
    summary = {"run_id": "r1", "mode": "demo", "key_label": "demo", "code_version": "abc", "published": True,
               "gate": {"withheld_scopes": [{"borough_code": "E09000033", "extract_type": "eyfsp",
                                              "period": "2023/24", "reasons": ["12 rows"]}]},
               "land": {"boroughs": {"summary": "3 files", "by_borough": borough_counts(deliveries)}}}
    text = render_summary(paths, summary)
    assert str(tmp_path) not in text
    assert "- published mart (open read-only): published/warehouse.duckdb" in text
    assert "- delivery receipts: receipts/<borough>/r1.md (.html, .csv)" in text
    assert "| hackney | needs action | 2 | 1 | 1 | 2 | 0 | receipts/hackney/r1.md |" in text
    assert "| merton | landed cleanly | 1 | 1 | 0 | 0 | 0 | receipts/merton/r1.md |" in text  # skipped not counted
    assert "| E09000033 | needs action | 0 | 0 | 0 | 0 | 1 | none |" in text  # withheld without files tonight
