"""Request keys: what makes two requests match."""

from __future__ import annotations

import pytest
import requests

from harness.recording.matching import DEFAULT_ACCEPT, body_key, path_key, query_key, request_key
from harness.recording.media import is_json_media_type

HOOK = "application/astra-executionHook+json"


def key(method="POST", uri="http://127.0.0.1:8000/hooks", headers=None, body=b""):
    return request_key(method, uri, headers if headers is not None else {"content-type": HOOK}, body)


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/astra-executionHook+json", True),
        ("APPLICATION/PROBLEM+JSON", True),
        ("text/json", True),
        ("application/jsonx", False),
        ("text/plain", False),
        ("application/x-www-form-urlencoded", False),
        (None, False),
        ("", False),
    ],
    ids=["json", "json-charset", "astra-hook", "problem-upper", "text-json", "jsonx", "text", "form", "none", "empty"],
)
def test_is_json_media_type(content_type, expected):
    assert is_json_media_type(content_type) is expected


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (b'{"a": 1, "b": 2}', b'{"b":2,"a":1}', True),
        (b'{"x": {"a": 1, "b": [1, 2]}}', b'{"x": {"b": [1, 2], "a": 1}}', True),
        (b'{"enabled": "true"}', b'{"enabled": true}', False),
        (b'{"n": 1}', b'{"n": 1.0}', False),
        (b'{"n": 1}', b'{"n": "1"}', False),
        (b'{"v": null}', b'{}', False),
        (b'[1, 2]', b'[2, 1]', False),
        (b'{"name": "caf\\u00e9"}', '{"name": "café"}'.encode(), True),
        (b'{"a": 1', b'{"a": 1', True),
        (b'{"a": 1', b'{"a":1', False),
    ],
    ids=[
        "key-order", "nested-key-order", "string-vs-bool", "int-vs-float", "int-vs-string",
        "null-vs-absent", "array-order", "escape-vs-utf8", "invalid-same-bytes", "invalid-other-bytes",
    ],
)
def test_json_body_comparison(left, right, same):
    assert (key(body=left) == key(body=right)) is same


@pytest.mark.parametrize("content_type", ["application/json", HOOK, "application/problem+json"], ids=["json", "hook", "problem"])
def test_every_json_media_type_ignores_key_order(content_type):
    headers = {"content-type": content_type}
    assert key(headers=headers, body=b'{"a":1,"b":2}') == key(headers=headers, body=b'{"b":2,"a":1}')


def test_non_json_body_compares_bytes():
    headers = {"content-type": "text/plain"}
    assert key(headers=headers, body=b'{"a":1,"b":2}') != key(headers=headers, body=b'{"b":2,"a":1}')


def test_empty_and_missing_body_match():
    assert key(body=b"") == key(body=None)


def test_host_and_port_ignored():
    assert key(uri="http://127.0.0.1:1111/hooks") == key(uri="https://localhost:2222/hooks")


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("/hooks?a=1&b=2", "/hooks?b=2&a=1", True),
        ("/hooks?limit=", "/hooks", False),
        ("/hooks?a=1", "/hooks?a=2", False),
        ("/hooks?a=x%20y", "/hooks?a=x+y", True),
        ("/a%2Fb", "/a/b", False),
        ("/a%20b", "/a b", True),
        ("", "/", True),
        ("/hooks", "/hooks/", False),
    ],
    ids=["query-order", "blank-value", "query-value", "space-encodings", "encoded-slash", "encoded-space", "empty-path", "trailing-slash"],
)
def test_path_and_query_comparison(left, right, same):
    base = "http://127.0.0.1:9"
    assert (key(uri=base + left) == key(uri=base + right)) is same


def test_method_compared_case_insensitively():
    assert key(method="post") == key(method="POST")
    assert key(method="PUT") != key(method="POST")


def test_authorization_compared():
    owner = {"content-type": HOOK, "authorization": "Bearer <tokens.owner>"}
    viewer = {"content-type": HOOK, "authorization": "Bearer <tokens.viewer>"}
    assert key(headers=owner) != key(headers=viewer)


def test_content_type_compared():
    assert key(headers={"content-type": HOOK}) != key(headers={"content-type": "application/json"})
    assert key(headers={"content-type": "application/json;charset=UTF-8"}) == key(
        headers={"content-type": "application/json; charset=utf-8"}
    )


def test_missing_accept_equals_requests_default():
    assert DEFAULT_ACCEPT == requests.utils.default_headers()["Accept"]
    assert key(headers={"content-type": HOOK}) == key(headers={"content-type": HOOK, "accept": "*/*"})
    assert key(headers={"content-type": HOOK}) != key(headers={"content-type": HOOK, "accept": HOOK})


def test_body_key_kinds():
    assert body_key(b'{"a": 1}', "application/json").kind == "json"
    assert body_key(b'{"a": 1}', None).kind == "bytes"
    assert body_key(b"\xff\xfe", "application/json").kind == "bytes"


def test_path_key_splits_segments():
    assert path_key("/a/b%2Fc") == ("", "a", "b/c")


def test_query_key_keeps_repeats():
    assert query_key("a=2&a=1") == (("a", "1"), ("a", "2"))
