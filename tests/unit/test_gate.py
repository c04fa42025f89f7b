"""The publish decision from dbt and GX outcomes."""

from fhub.gate import decide


def _gx(suite, success, severity, rows=(), scope=None):
    return {
        "suite": suite,
        "expectation": "expect_column_values_to_be_between",
        "column": "value",
        "success": success,
        "severity": severity,
        "scope": scope
        or {"borough_code": "borough_code", "extract_type": "extract_type", "period": "period"},
        "failing_rows": list(rows),
        "message": f"{suite} failed",
    }


def test_all_passing_publishes_everything():
    decision = decide(True, [], [_gx("a", True, "blocking_all"), _gx("b", True, "withhold_scope")])
    assert decision.publish and decision.withheld == []


def test_dbt_failure_blocks():
    decision = decide(False, [{"node": "model.x", "message": "boom"}], [])
    assert not decision.publish
    assert "model.x" in decision.reasons[0]


def test_blocking_expectation_blocks():
    decision = decide(True, [], [_gx("raw_keys", False, "blocking_all")])
    assert not decision.publish and "raw_keys" in decision.reasons[0]


def test_scoped_failure_withholds_only_that_scope():
    rows = [
        {"borough_code": "E09000024", "extract_type": "eyfsp", "period": "2023/24"},
        {"borough_code": "E09000024", "extract_type": "eyfsp", "period": "2023/24"},
    ]
    decision = decide(True, [], [_gx("gld_plausibility", False, "withhold_scope", rows)])
    assert decision.publish
    assert [(w.borough_code, w.extract_type, w.period) for w in decision.withheld] == [
        ("E09000024", "eyfsp", "2023/24")
    ]
    assert decision.withheld[0].reasons == ["gld_plausibility failed (check gld_plausibility)"]


def test_scoped_failure_without_keys_blocks():
    decision = decide(True, [], [_gx("x", False, "withhold_scope", rows=[])])
    assert not decision.publish
