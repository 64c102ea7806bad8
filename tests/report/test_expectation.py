"""check_expectation: status, headers and bodies with matchers, subset and exact modes."""

from __future__ import annotations

import json

import pytest

from harness.contract.examples import EXAMPLE_PROBLEMS, EXAMPLE_RESPONSE
from harness.exchange import Headers, HttpResponse
from harness.report import expectation
from harness.report.expectation import check_expectation, compare_bodies
from harness.scenario.matchers import (
    Absent,
    AnyString,
    AnyTimestamp,
    AnyUuid,
    AnyValue,
    Optional,
    Regex,
)
from harness.scenario.model import ExpectedResponse

CONFLICT = EXAMPLE_PROBLEMS[10]


def _response(status: int, body, headers: dict[str, str] | None = None) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(status, Headers(headers or {}), raw)


def _found(deviations) -> set[tuple[str, str]]:
    return {(d.path, d.kind) for d in deviations}


def test_status_deviation_from_server(deviating_server):
    exchange = deviating_server.create("problem-8")
    expected = ExpectedResponse(409, body=dict(CONFLICT), body_match="subset")

    deviations = check_expectation(expected, exchange.response)

    assert _found(deviations) == {("status", "status")}
    assert deviations[0].message == (
        "expected 409 (problem 10 JSON resource conflict), got 400 (problem 8 Invalid JSON resource)."
    )
    assert deviations[0].source == "expectation"


def test_status_match_without_body_passes():
    assert check_expectation(ExpectedResponse(201), _response(201, b"not json")) == []


def test_status_deviation_for_created_body():
    deviations = check_expectation(ExpectedResponse(201), _response(400, CONFLICT | {"status": "400"}))

    assert deviations[0].message.startswith("expected 201, got 400")


MATCHER_CASES = [
    ("uuid-ok", AnyUuid(), "946e60cb-980b-5374-9e6e-9fe1f6780352", True),
    ("uuid-upper-case", AnyUuid(), "946E60CB-980B-5374-9E6E-9FE1F6780352", False),
    ("uuid-number", AnyUuid(), 7, False),
    ("timestamp-ok", AnyTimestamp(), "2022-10-06T20:58:16.305662Z", True),
    ("timestamp-no-zone", AnyTimestamp(), "2022-10-06T20:58:16", False),
    ("string-ok", AnyString(), "", True),
    ("string-null", AnyString(), None, False),
    ("regex-ok", Regex("^hook-[0-9]+$"), "hook-12", True),
    ("regex-partial", Regex("hook-[0-9]+"), "my-hook-12", False),
    ("any-object", AnyValue(), {"a": [1]}, True),
    ("optional-present-ok", Optional(AnyUuid()), "946e60cb-980b-5374-9e6e-9fe1f6780352", True),
    ("optional-present-bad", Optional(AnyUuid()), "x", False),
]


@pytest.mark.parametrize(
    ("matcher", "actual", "passes"),
    [case[1:] for case in MATCHER_CASES],
    ids=[case[0] for case in MATCHER_CASES],
)
def test_matcher_in_body(matcher, actual, passes):
    deviations = compare_bodies({"value": matcher, "name": "a"}, {"value": actual, "name": "a"})

    assert (deviations == []) is passes


def test_matcher_mismatch_is_value_at_path():
    [deviation] = compare_bodies({"id": AnyUuid()}, {"id": "hook-1"})

    assert deviation.path == "root['id']"
    assert deviation.kind == "value"
    assert "UUID" in deviation.message


def test_matcher_inside_list():
    deviations = compare_bodies({"arguments": [AnyString(), "b"]}, {"arguments": [3, "b"]})

    assert _found(deviations) == {("root['arguments'][0]", "value")}


def test_matcher_at_root():
    assert compare_bodies(AnyValue(), [1, 2]) == []


def test_absent_key_missing_passes():
    assert compare_bodies({"name": "a", "gone": Absent()}, {"name": "a"}) == []


def test_absent_key_present_is_reported():
    deviations = compare_bodies({"name": "a", "gone": Absent()}, {"name": "a", "gone": []})

    assert _found(deviations) == {("root['gone']", "unexpected-key")}


def test_absent_key_present_reported_in_subset():
    deviations = compare_bodies({"gone": Absent()}, {"name": "a", "gone": None}, subset=True)

    assert _found(deviations) == {("root['gone']", "unexpected-key")}


def test_optional_key_missing_passes():
    assert compare_bodies({"name": "a", "id": Optional(AnyUuid())}, {"name": "a"}) == []


def test_exact_reports_extra_key():
    deviations = compare_bodies({"name": "a"}, {"name": "a", "extra": 1})

    assert _found(deviations) == {("root['extra']", "unexpected-key")}


def test_subset_ignores_extra_keys():
    assert compare_bodies({"name": "a"}, {"name": "a", "extra": 1}, subset=True) == []


def test_subset_ignores_nested_extra_keys():
    expected = {"metadata": {"labels": []}}

    assert compare_bodies(expected, {"metadata": {"labels": [], "createdBy": "x"}}, subset=True) == []


def test_subset_still_reports_missing_key():
    deviations = compare_bodies({"name": "a", "stage": "pre"}, {"name": "a"}, subset=True)

    assert _found(deviations) == {("root['stage']", "missing-key")}


def test_subset_still_reports_extra_list_item():
    deviations = compare_bodies({"arguments": ["a"]}, {"arguments": ["a", "b"]}, subset=True)

    assert _found(deviations) == {("root['arguments'][1]", "unexpected-item")}


def test_missing_list_item():
    deviations = compare_bodies({"arguments": ["a", "b"]}, {"arguments": ["a"]})

    assert _found(deviations) == {("root['arguments'][1]", "missing-item")}


def test_type_change_names_both_types():
    [deviation] = compare_bodies({"status": "404"}, {"status": 404})

    assert deviation.kind == "wrong-type"
    assert "the integer 404" in deviation.message
    assert 'the string "404"' in deviation.message


def test_boolean_is_not_integer():
    deviations = compare_bodies({"enabled": 1}, {"enabled": True})

    assert _found(deviations) == {("root['enabled']", "wrong-type")}


def test_value_change_in_nested_key():
    deviations = compare_bodies(
        {"metadata": {"createdBy": "a"}}, {"metadata": {"createdBy": "b"}}
    )

    assert _found(deviations) == {("root['metadata']['createdBy']", "value")}


def test_equal_bodies_skip_deepdiff(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("DeepDiff was called for equal bodies")

    monkeypatch.setattr(expectation, "DeepDiff", fail)

    assert compare_bodies(dict(EXAMPLE_RESPONSE), dict(EXAMPLE_RESPONSE)) == []


def test_body_not_json_is_reported():
    expected = ExpectedResponse(400, body=dict(CONFLICT))

    deviations = check_expectation(expected, _response(400, b"<html>"))

    assert _found(deviations) == {("root", "not-json")}


def test_unknown_body_match_raises():
    with pytest.raises(ValueError, match="body_match"):
        check_expectation(ExpectedResponse(201, body_match="loose"), _response(201, {}))


HEADER_CASES = [
    ("name-case-ignored", {"content-type": "application/json"}, {"Content-Type": "application/json"}, set()),
    ("content-type-parameters-ignored", {"Content-Type": "application/json"},
     {"Content-Type": "application/json; charset=utf-8"}, set()),
    ("content-type-with-parameters-exact", {"Content-Type": "application/json; charset=utf-8"},
     {"Content-Type": "application/json"}, {("header Content-Type", "header-value")}),
    ("wrong-value", {"Content-Type": "application/problem+json"}, {"Content-Type": "text/plain"},
     {("header Content-Type", "header-value")}),
    ("missing", {"Location": AnyString()}, {}, {("header Location", "missing-header")}),
    ("absent-ok", {"Location": Absent()}, {}, set()),
    ("absent-present", {"location": Absent()}, {"Location": "/x"},
     {("header location", "unexpected-header")}),
    ("optional-missing", {"Etag": Optional(AnyString())}, {}, set()),
    ("matcher-ok", {"Etag": Regex("[0-9a-f]{32}")}, {"ETag": "0" * 32}, set()),
    ("matcher-bad", {"Etag": Regex("[0-9a-f]{32}")}, {"Etag": "W/x"}, {("header Etag", "header-value")}),
]


@pytest.mark.parametrize(
    ("expected_headers", "actual_headers", "found"),
    [case[1:] for case in HEADER_CASES],
    ids=[case[0] for case in HEADER_CASES],
)
def test_expected_headers(expected_headers, actual_headers, found):
    expected = ExpectedResponse(201, headers=expected_headers)

    deviations = check_expectation(expected, _response(201, {}, actual_headers))

    assert _found(deviations) == found


def test_created_example_with_matchers_passes():
    expected_body = dict(EXAMPLE_RESPONSE)
    expected_body["id"] = AnyUuid()
    expected_body["metadata"] = {
        "labels": [],
        "creationTimestamp": AnyTimestamp(),
        "modificationTimestamp": AnyTimestamp(),
        "createdBy": AnyUuid(),
        "modifiedBy": Optional(AnyUuid()),
    }
    expected_body["matchingContainers"] = Absent()
    actual = dict(EXAMPLE_RESPONSE, id="0d4b3c7e-4f0a-4b5e-9c1d-2a3b4c5d6e7f")

    deviations = check_expectation(ExpectedResponse(201, body=expected_body), _response(201, actual))

    assert deviations == []


def test_subset_few_keys_reports_only_the_differing_key() -> None:
    actual = {"a": 2, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}

    deviations = compare_bodies({"a": 1}, actual, subset=True)

    assert [d.path for d in deviations] == ["root['a']"]
    assert deviations[0].kind == "value"


def test_subset_few_keys_equal_passes() -> None:
    actual = dict(EXAMPLE_RESPONSE)

    deviations = compare_bodies({"name": "Payroll", "id": AnyUuid()}, actual, subset=True)

    assert deviations == []
