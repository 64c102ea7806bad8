"""Check one response against what a scenario expects: status, headers and body.

Bodies are compared with DeepDiff in order (`ignore_order=False`). Matcher values in the
expected tree (`!any_uuid`, `!regex`, and so on) are compared by a custom DeepDiff operator
that calls `matcher.matches(actual)`. An `Absent` key must be missing, an `Optional` key may
be missing, and with `body_match: subset` the keys the scenario does not list are ignored.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import notpresent
from deepdiff.model import DiffLevel
from deepdiff.operator import BaseOperator

from harness.contract import PROBLEMS, problem_number
from harness.exchange import Headers, HttpResponse
from harness.report.conformance import NOT_JSON, media_type, parse_body
from harness.report.deviation import (
    EXPECTATION,
    STATUS_PATH,
    Deviation,
    describe_value,
    header_path,
)
from harness.scenario.matchers import Absent, Matcher, Optional
from harness.scenario.model import NOT_GIVEN, ExpectedResponse

logger = logging.getLogger(__name__)

BODY_MATCH_MODES = ("exact", "subset")
_MATCHER_MISMATCH = "matcher_mismatch"


def check_expectation(expected: ExpectedResponse, response: HttpResponse) -> list[Deviation]:
    """Return every deviation of `response` from what the scenario expects.

    When the status differs, only the status deviation is returned, because a body and
    headers of another status would differ everywhere and hide the one cause.
    """
    if expected.body_match not in BODY_MATCH_MODES:
        raise ValueError(
            f"body_match must be one of {', '.join(BODY_MATCH_MODES)}, got {expected.body_match!r}"
        )
    actual_body = parse_body(response)
    if response.status != expected.status:
        return [_status_deviation(expected, response.status, actual_body)]

    deviations = check_headers(expected.headers, response.headers)
    if expected.body is not NOT_GIVEN:
        deviations += compare_bodies(expected.body, actual_body, subset=expected.body_match == "subset")
    logger.debug("expectation check of a %d response found %d deviations", response.status, len(deviations))
    return deviations


def _deviation(path: str, kind: str, expected: Any, actual: Any, message: str) -> Deviation:
    return Deviation(path, kind, EXPECTATION, expected, actual, message)


def describe_response(status: int | None, body: Any) -> str:
    """Return a short label such as `400 (problem 8 Invalid JSON resource)`."""
    if status is None:
        return "no response"
    number = problem_number(body.get("type")) if isinstance(body, dict) else None
    if number is None:
        return str(status)
    problem = PROBLEMS.get(number)
    title = problem.title if problem is not None else body.get("title")
    return f"{status} (problem {number} {title})" if title else f"{status} (problem {number})"


def _status_deviation(expected: ExpectedResponse, status: int, actual_body: Any) -> Deviation:
    expected_body = expected.body if isinstance(expected.body, dict) else None
    expected_label = describe_response(expected.status, expected_body)
    actual_label = describe_response(status, actual_body)
    return _deviation(
        STATUS_PATH, "status", expected.status, status,
        f"expected {expected_label}, got {actual_label}.",
    )


def check_headers(expected: dict[str, Any], actual: Headers) -> list[Deviation]:
    """Compare expected headers (names ignore case) with the response's headers."""
    deviations = []
    for name, expected_value in expected.items():
        value = actual.get_ci(name)
        path = header_path(name)
        if isinstance(expected_value, Absent):
            if value is not None:
                deviations.append(_deviation(
                    path, "unexpected-header", expected_value, value,
                    f"header {name} is {value!r}, but the scenario expects it absent.",
                ))
            continue
        if value is None:
            if not isinstance(expected_value, Optional):
                deviations.append(_deviation(
                    path, "missing-header", expected_value, None,
                    f"header {name} is missing, but the scenario expects "
                    f"{_describe_expected(expected_value)}.",
                ))
            continue
        if not _header_matches(name, expected_value, value):
            deviations.append(_deviation(
                path, "header-value", expected_value, value,
                f"header {name} is {value!r}, but the scenario expects {_describe_expected(expected_value)}.",
            ))
    return deviations


def _describe_expected(expected_value: Any) -> str:
    return expected_value.describe() if isinstance(expected_value, Matcher) else repr(str(expected_value))


def _header_matches(name: str, expected_value: Any, value: str) -> bool:
    """Match a header value. A Content-Type written without parameters ignores the actual's."""
    if isinstance(expected_value, Matcher):
        return expected_value.matches(value)
    text = str(expected_value)
    if name.lower() == "content-type" and ";" not in text:
        return media_type(value) == media_type(text)
    return value == text


class MatcherOperator(BaseOperator):
    """DeepDiff operator that compares a `Matcher` in the expected tree with `matches()`."""

    def __init__(self) -> None:
        super().__init__()

    def match(self, level: DiffLevel) -> bool:
        return isinstance(level.t1, Matcher)

    def give_up_diffing(self, level: DiffLevel, diff_instance: DeepDiff) -> bool:
        if not level.t1.matches(level.t2):
            diff_instance.custom_report_result(_MATCHER_MISMATCH, level)
        return True


def compare_bodies(expected: Any, actual: Any, *, subset: bool = False) -> list[Deviation]:
    """Return one deviation per difference between an expected and an actual JSON body.

    `actual` is NOT_JSON when the body could not be parsed. With `subset`, keys present only
    in the actual body are not deviations.
    """
    if actual is NOT_JSON:
        return [_deviation(
            "root", "not-json", expected, None,
            "the body is not valid UTF-8 JSON, so it cannot be compared with the expected body.",
        )]
    if not contains_matcher(expected) and _canonical(expected) == _canonical(actual):
        return []

    diff = DeepDiff(
        expected, actual, ignore_order=False, verbose_level=2,
        custom_operators=[MatcherOperator()], view="tree", threshold_to_diff_deeper=0,
    )
    deviations = []
    for report_type, levels in diff.items():
        for level in levels:
            deviation = _level_deviation(report_type, level, subset)
            if deviation is not None:
                deviations.append(deviation)
    return sorted(deviations, key=lambda d: (d.path, d.kind))


def contains_matcher(value: Any) -> bool:
    if isinstance(value, Matcher):
        return True
    if isinstance(value, dict):
        return any(contains_matcher(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_matcher(item) for item in value)
    return False


def _canonical(value: Any) -> str:
    """Return a JSON text that distinguishes values that Python calls equal (1, 1.0 and True)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _level_deviation(report_type: str, level: DiffLevel, subset: bool) -> Deviation | None:
    path = level.path()
    expected_value, actual_value = level.t1, level.t2
    if report_type == "dictionary_item_removed":
        if isinstance(expected_value, (Absent, Optional)):
            return None
        return _deviation(
            path, "missing-key", expected_value, None,
            f"{path} is missing, but the scenario expects {describe_value(expected_value)}.",
        )
    if report_type == "dictionary_item_added":
        if subset:
            return None
        return _deviation(
            path, "unexpected-key", None, actual_value,
            f"{path} is {describe_value(actual_value)}, but the scenario does not list this key "
            f"and compares the body exactly.",
        )
    if report_type == "iterable_item_removed":
        return _deviation(
            path, "missing-item", expected_value, None,
            f"{path} is missing, but the scenario expects {describe_value(expected_value)} there.",
        )
    if report_type == "iterable_item_added":
        return _deviation(
            path, "unexpected-item", None, actual_value,
            f"{path} is {describe_value(actual_value)}, an item the scenario does not expect.",
        )
    return _changed_deviation(report_type, path, expected_value, actual_value)


def _changed_deviation(report_type: str, path: str, expected_value: Any, actual_value: Any) -> Deviation:
    if actual_value is notpresent:
        actual_value = None
    actual_text = describe_value(actual_value)
    if report_type == _MATCHER_MISMATCH and isinstance(expected_value, Absent):
        return _deviation(
            path, "unexpected-key", expected_value, actual_value,
            f"{path} is {actual_text}, but the scenario expects the key to be absent.",
        )
    kind = "wrong-type" if report_type == "type_changes" else "value"
    return _deviation(
        path, kind, expected_value, actual_value,
        f"{path} is {actual_text}, but the scenario expects {describe_value(expected_value)}.",
    )
