"""Reading the `expect` and `defaults.expect` parts of a scenario file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.scenario.checks import Checker, describe, show
from harness.scenario.matchers import Matcher
from harness.scenario.model import NOT_GIVEN, ExpectedResponse
from harness.scenario.yaml_source import InvalidTag, child_path

EXPECT_KEYS = ("status", "headers", "body", "body_match")
DEFAULT_EXPECT_KEYS = ("headers", "body_match")
BODY_MATCH_MODES = ("exact", "subset")


@dataclass
class ExpectDefaults:
    """Expected headers and body_match merged under every scenario's `expect` in a file."""

    headers: dict[str, Any] = field(default_factory=dict)
    body_match: str = "exact"


def _read_status(checker: Checker, value: Any, key_path: str) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    fix = "write an integer from 100 to 599 without quotes, as in `status: 404`"
    checker.error(key_path, f"status must be an integer from 100 to 599, got "
                  f"{describe(value)}", fix)
    return None


def _read_header_value(checker: Checker, value: Any, key_path: str, allow_null: bool) -> Any:
    if isinstance(value, InvalidTag):
        checker.error(key_path, value.message, value.fix)
        return None
    if isinstance(value, Matcher):
        return value
    if value is None:
        if not allow_null:
            checker.error(key_path, "expected header value is null",
                          "write a string or a matcher, "
                          "or !absent for a header the response must not have")
        return None
    text = checker.string(value, key_path, "application/problem+json, or a matcher such as !any")
    return None if text is None else checker.template(text, key_path)


def read_expected_headers(
    checker: Checker, value: Any, key_path: str, allow_null: bool
) -> dict[str, Any] | None:
    """Read expected headers, each a string or a matcher. In scenarios, None removes a default."""
    if not isinstance(value, dict):
        checker.error(key_path, f"headers must be a mapping of names to strings or matchers, "
                      f"got {describe(value)}",
                      "write for example `headers: {Content-Type: application/problem+json}`")
        return None
    count = len(checker.errors)
    headers: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for name, item in value.items():
        item_path = child_path(key_path, name)
        if not isinstance(name, str) or not name:
            checker.error(item_path, f"invalid header name {show(name)}", "quote the header name")
            continue
        if name.lower() in seen:
            checker.error(item_path, f"header {name!r} is also given as {seen[name.lower()]!r}",
                          "header names ignore case: keep one of them")
            continue
        seen[name.lower()] = name
        headers[name] = _read_header_value(checker, item, item_path, allow_null)
    return headers if len(checker.errors) == count else None


def _read_body_match(checker: Checker, value: Any, key_path: str) -> str | None:
    if value in BODY_MATCH_MODES:
        return value
    checker.error(key_path, f"body_match must be exact or subset, got {show(value)}",
                  "write `body_match: exact` (every key compared) or `body_match: subset`")
    return None


def read_expect_defaults(checker: Checker, value: Any, key_path: str) -> ExpectDefaults:
    defaults = ExpectDefaults()
    data = checker.mapping(value, key_path, DEFAULT_EXPECT_KEYS)
    if data is None:
        return defaults
    if "headers" in data:
        headers_path = child_path(key_path, "headers")
        headers = read_expected_headers(checker, data["headers"], headers_path, False)
        defaults.headers = headers or {}
    if "body_match" in data:
        mode = _read_body_match(checker, data["body_match"], child_path(key_path, "body_match"))
        defaults.body_match = mode or defaults.body_match
    return defaults


def _merge_headers(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    overridden = {name.lower() for name in own}
    merged = {name: item for name, item in defaults.items() if name.lower() not in overridden}
    merged.update((name, item) for name, item in own.items() if item is not None)
    return merged


def read_expect(
    checker: Checker, value: Any, key_path: str, defaults: ExpectDefaults
) -> ExpectedResponse | None:
    """Read one `expect` and merge the file's defaults under it. Return None if it has errors."""
    count = len(checker.errors)
    data = checker.mapping(value, key_path, EXPECT_KEYS, required=("status",))
    if data is None or "status" not in data:
        return None
    status = _read_status(checker, data["status"], child_path(key_path, "status"))
    own_headers: dict[str, Any] = {}
    if "headers" in data:
        own_headers = read_expected_headers(
            checker, data["headers"], child_path(key_path, "headers"), True
        ) or {}
    body = data.get("body", NOT_GIVEN)
    if body is not NOT_GIVEN:
        checker.json_value(body, child_path(key_path, "body"), allow_matchers=True)
    body_match = defaults.body_match
    if "body_match" in data:
        mode_path = child_path(key_path, "body_match")
        body_match = _read_body_match(checker, data["body_match"], mode_path) or body_match
    if status is None or len(checker.errors) != count:
        return None
    return ExpectedResponse(status, _merge_headers(defaults.headers, own_headers), body, body_match)
