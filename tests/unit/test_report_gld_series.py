"""The GLD series a page draws are never spliced: DfE's published figures and the borough's own records are kept
apart whether they come from ``indicator_values`` or from the GLD target tracker."""

from __future__ import annotations

from fhub.report.data import ReportData
from fhub.report.gld import PUBLISHED, RECORDS, _gld_series, _source_label

HACKNEY = "E09000012"


def _value(metric, period, value, source):
    return {"geography_code": HACKNEY, "metric_id": metric, "period": period, "value": value, "source": source}


def test_indicator_values_split_into_dfe_figures_and_borough_records():
    """DfE's metric wins a year; an older file's DfE figures under the records' GLD metric are drawn as
    published (only for a year DfE's metric lacks), never as the borough's records; the tracker fills the gaps
    of its own series only."""
    values = [
        _value("eyfs_gld", "2021/22", 65.0, "DfE EES: EYFSP 2022"),  # an older file: DfE's figure, records' metric
        _value("gld_dfe_published", "2022/23", 67.0, "published: DfE EES"),
        _value("eyfs_gld", "2022/23", 66.0, "DfE LAIT"),  # DfE's own metric has this year: not drawn
        _value("eyfs_gld", "2022/23", 66.5, "borough EYFSP returns (pupil level)"),
        _value("eyfs_gld", "2023/24", 68.0, None),
        _value("eyfs_gld", "2023", 1.0, None),  # not an academic year
    ]
    tracker = [
        {"geography_code": HACKNEY, "academic_year": "2023/24", "series": PUBLISHED, "gld_value": 68.4,
         "source": "DfE LAIT"},
        {"geography_code": HACKNEY, "academic_year": "2023/24", "series": RECORDS, "gld_value": 99.0,
         "source": "Borough records"},
        {"geography_code": "E09000001", "academic_year": "2024/25", "series": PUBLISHED, "gld_value": 70.0},
    ]
    data = ReportData(boroughs={}, hubs={}, metrics={}, values=values, tracker=tracker)
    published = _gld_series(data, HACKNEY, PUBLISHED)
    records = _gld_series(data, HACKNEY, RECORDS)
    assert {y: v["value"] for y, v in published.items()} == {2021: 65.0, 2022: 67.0, 2023: 68.4}
    assert {y: v["value"] for y, v in records.items()} == {2022: 66.5, 2023: 68.0}


def test_source_label_names_dfe_or_the_borough_returns():
    assert _source_label("published: EES 2025", False) == "DfE published statistics (EES 2025)"
    assert _source_label("DfE LAIT", False) == "DfE published statistics (DfE LAIT)"
    assert _source_label("Borough records", True) == (
        "borough EYFSP returns (pupil level), computed by the pipeline — provisional"
    )
    assert _source_label(None, False) == "source not recorded"


def test_source_label_of_london_records_names_the_participating_boroughs():
    assert _source_label("borough EYFSP returns (pupil level)", True, participating=True) == (
        "the participating boroughs' EYFSP returns (not all 33 London boroughs) (pupil level), computed by the "
        "pipeline — provisional"
    )
    assert _source_label("DfE LAIT", False, participating=True) == "DfE published statistics (DfE LAIT)"


def test_a_published_source_is_named_by_word_not_by_letters():
    from fhub.report.gld import _is_published_source

    for source in ("DfE EES: EYFSP results 2024/25", "DfE LAIT: Local Authority Interactive Tool", "published: lait"):
        assert _is_published_source(source), source
    for source in ("Borough records", "Borough records (fees and employees survey)", None):
        assert not _is_published_source(source), source
