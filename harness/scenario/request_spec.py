"""Reading the `request`, `setup` and `defaults.request` parts of a scenario file."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any

from harness.scenario.checks import Checker, describe, show
from harness.scenario.model import RequestSpec
from harness.scenario.yaml_source import child_path

REQUEST_KEYS = ("method", "path", "query", "headers", "body", "raw_body", "raw_body_base64")
DEFAULT_REQUEST_KEYS = ("method", "query", "headers")
BODY_KEYS = ("body", "raw_body", "raw_body_base64")

# RFC 9110 token characters, which header names consist of.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_METHOD = re.compile(r"[A-Za-z]+")
_PATH_EXAMPLE = "/accounts/${account_id}/core/v1/executionHooks"


@dataclass
class RequestDefaults:
    """Method, headers and query parameters merged under every request of a file."""

    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)


def read_method(checker: Checker, value: Any, key_path: str) -> str | None:
    method = checker.string(value, key_path, "method: POST")
    if method is None:
        return None
    if _METHOD.fullmatch(method) is None:
        checker.error(key_path, f"invalid HTTP method {show(method)}",
                      "write a method name such as POST, GET or PUT")
        return None
    return method.upper()


def read_headers(
    checker: Checker, value: Any, key_path: str, allow_null: bool
) -> dict[str, str | None] | None:
    """Read a header mapping of names to strings (or None, which removes a default header)."""
    if not isinstance(value, dict):
        checker.error(key_path, f"headers must be a mapping of names to strings, got "
                      f"{describe(value)}",
                      "write for example `headers: {Content-Type: application/json}`")
        return None
    headers: dict[str, str | None] = {}
    seen: dict[str, str] = {}
    count = len(checker.errors)
    for name, header_value in value.items():
        header_path = child_path(key_path, name)
        if _header_name(checker, name, header_path, seen):
            headers[name] = _header_value(checker, header_value, header_path, allow_null)
    return headers if len(checker.errors) == count else None


def _header_name(checker: Checker, name: Any, key_path: str, seen: dict[str, str]) -> bool:
    if not isinstance(name, str) or _TOKEN.fullmatch(name) is None:
        checker.error(key_path, f"invalid header name {show(name)}",
                      "use letters, digits and - in header names, as in Content-Type")
        return False
    if name.lower() in seen:
        checker.error(key_path, f"header {name!r} is also given as {seen[name.lower()]!r}",
                      "header names ignore case: keep one of them")
        return False
    seen[name.lower()] = name
    return True


def _header_value(checker: Checker, value: Any, key_path: str, allow_null: bool) -> str | None:
    if value is None:
        if not allow_null:
            checker.error(key_path, "header value is null",
                          "write a string value, or remove the header")
        return None
    text = checker.string(value, key_path, "'Bearer ${tokens.owner}' (quote numbers)")
    if text is None:
        return None
    if any(character in text for character in "\r\n\0"):
        checker.error(key_path, f"header value {show(text)} contains a line break or NUL",
                      "write the value on one line")
        return None
    return checker.template(text, key_path)


def _query_value(checker: Checker, value: Any, key_path: str) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = checker.string(value, key_path, "limit: abc")
    return None if text is None else checker.template(text, key_path)


def read_query(
    checker: Checker, value: Any, key_path: str, allow_null: bool
) -> list[tuple[str, str | None]] | None:
    """Read a query as a mapping (a list value repeats the name) or a list of [name, value]."""
    if isinstance(value, dict):
        return _query_mapping(checker, value, key_path, allow_null)
    if isinstance(value, list):
        return _query_pairs(checker, value, key_path)
    checker.error(key_path, f"query must be a mapping or a list of [name, value] pairs, got "
                  f"{describe(value)}",
                  "write `query: {limit: abc}` or `query: [[limit, abc]]`")
    return None


def _query_mapping(
    checker: Checker, value: dict, key_path: str, allow_null: bool
) -> list[tuple[str, str | None]] | None:
    pairs: list[tuple[str, str | None]] = []
    count = len(checker.errors)
    for name, item in value.items():
        item_path = child_path(key_path, name)
        if not isinstance(name, str) or not name:
            checker.error(item_path, f"query parameter name {show(name)} is not a string",
                          "quote the parameter name")
        elif item is None and allow_null:
            pairs.append((name, None))
        elif isinstance(item, list):
            for position, element in enumerate(item):
                element_path = child_path(item_path, position)
                pairs.append((name, _query_value(checker, element, element_path)))
        else:
            pairs.append((name, _query_value(checker, item, item_path)))
    return pairs if len(checker.errors) == count else None


def _query_pairs(
    checker: Checker, value: list, key_path: str
) -> list[tuple[str, str | None]] | None:
    pairs: list[tuple[str, str | None]] = []
    count = len(checker.errors)
    for position, pair in enumerate(value):
        pair_path = child_path(key_path, position)
        if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str):
            checker.error(pair_path, f"query pair must be [name, value], got {show(pair)}",
                          "write each pair as a two-item list, as in [limit, abc]")
            continue
        pairs.append((pair[0], _query_value(checker, pair[1], pair_path)))
    return pairs if len(checker.errors) == count else None


def read_defaults(checker: Checker, value: Any, key_path: str) -> RequestDefaults:
    data = checker.mapping(value, key_path, DEFAULT_REQUEST_KEYS)
    defaults = RequestDefaults()
    if data is None:
        return defaults
    if "method" in data:
        defaults.method = read_method(checker, data["method"], child_path(key_path, "method"))
    if "headers" in data:
        headers = read_headers(checker, data["headers"], child_path(key_path, "headers"), False)
        defaults.headers = {
            name: text for name, text in (headers or {}).items() if text is not None
        }
    if "query" in data:
        query = read_query(checker, data["query"], child_path(key_path, "query"), False)
        defaults.query = [(name, text) for name, text in (query or []) if text is not None]
    return defaults


def _merge_headers(defaults: dict[str, str], own: dict[str, str | None]) -> dict[str, str]:
    overridden = {name.lower() for name in own}
    merged = {name: text for name, text in defaults.items() if name.lower() not in overridden}
    merged.update((name, text) for name, text in own.items() if text is not None)
    return merged


def _merge_query(
    defaults: list[tuple[str, str]], own: list[tuple[str, str | None]]
) -> list[tuple[str, str]]:
    overridden = {name for name, _ in own}
    merged = [(name, text) for name, text in defaults if name not in overridden]
    merged.extend((name, text) for name, text in own if text is not None)
    return merged


def _read_path(checker: Checker, value: Any, key_path: str) -> str | None:
    path = checker.string(value, key_path, _PATH_EXAMPLE)
    if path is None:
        return None
    if not path.startswith("/"):
        checker.error(key_path, f"path {show(path)} does not start with /",
                      f"write the path from the API root, as in {_PATH_EXAMPLE}")
        return None
    if "?" in path or "#" in path:
        checker.error(key_path, f"path {show(path)} contains ? or #",
                      "put query parameters under `query`, as in `query: {limit: abc}`")
        return None
    return checker.template(path, key_path)


def _read_body(checker: Checker, data: dict, key_path: str, spec: RequestSpec) -> None:
    body_forms = [key for key in BODY_KEYS if key in data]
    if len(body_forms) > 1:
        first, second = body_forms[:2]
        checker.error(child_path(key_path, second), f"both {first} and {second} are given",
                      "keep one body form: body (JSON), raw_body (text) or raw_body_base64 (bytes)")
        return
    if "body" in data:
        if checker.json_value(data["body"], child_path(key_path, "body"), allow_matchers=False):
            spec.body = data["body"]
    elif "raw_body" in data:
        raw_path = child_path(key_path, "raw_body")
        text = checker.string(data["raw_body"], raw_path, "raw_body: '{\"name\": '")
        spec.raw_body = None if text is None else checker.template(text, raw_path)
    elif "raw_body_base64" in data:
        spec.raw_body_base64 = _read_base64(checker, data["raw_body_base64"],
                                            child_path(key_path, "raw_body_base64"))


def _read_base64(checker: Checker, value: Any, key_path: str) -> str | None:
    text = checker.string(value, key_path, "raw_body_base64: /w==")
    if text is None:
        return None
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        checker.error(key_path, f"{show(text)} is not valid base64: {error}",
                      "encode the bytes with standard base64 (A-Z, a-z, 0-9, +, /, = padding)")
        return None
    return text


def read_request(
    checker: Checker, value: Any, key_path: str, defaults: RequestDefaults
) -> RequestSpec | None:
    """Read one request and merge the file's defaults under it. Return None if it has errors."""
    count = len(checker.errors)
    data = checker.mapping(value, key_path, REQUEST_KEYS, required=("path",))
    if data is None:
        return None
    spec = RequestSpec(method=defaults.method or "POST")
    if "method" in data:
        spec.method = read_method(checker, data["method"], child_path(key_path, "method")) or "POST"
    if "path" in data:
        spec.path = _read_path(checker, data["path"], child_path(key_path, "path")) or ""
    own_query = []
    if "query" in data:
        own_query = read_query(checker, data["query"], child_path(key_path, "query"), True) or []
    spec.query = _merge_query(defaults.query, own_query)
    own_headers = {}
    if "headers" in data:
        headers_path = child_path(key_path, "headers")
        own_headers = read_headers(checker, data["headers"], headers_path, True) or {}
    spec.headers = _merge_headers(defaults.headers, own_headers)
    _read_body(checker, data, key_path, spec)
    return spec if len(checker.errors) == count else None
