"""The bad-input matrix: hostile requests get their documented problem, never a 5xx or a
partial create."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.contract import load_contract
from harness.contract.problems import problem_number
from harness.server.parsing import MAX_BODY_BYTES, MAX_NESTING_DEPTH

from .conftest import Client, example_body

CONTRACT = load_contract("1.3")


def encoded(**changes: Any) -> bytes:
    return json.dumps(example_body(**changes)).encode()


def text_body(text: str) -> bytes:
    return text.encode("utf-8")


def with_raw_field(key: str, raw_value: str) -> bytes:
    """Return the example body as JSON text with `key` set to the literal JSON `raw_value`."""
    body = example_body()
    body.pop(key, None)
    text = json.dumps(body)
    return f'{text[:-1]}, "{key}": {raw_value}}}'.encode()


def nested(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * depth + closer * depth).encode()


def nested_objects(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def deep_labels(depth: int) -> bytes:
    return with_raw_field("metadata", '{"labels": ' + "[" * depth + "]" * depth + "}")


def sized_name(character: str, length: int) -> str:
    """Return a unique name of exactly `length` characters, padded with `character`."""
    prefix = uuid.uuid4().hex[:8]
    return prefix + character * (length - len(prefix))


def duplicate_keys() -> bytes:
    return with_raw_field("name", '"first"')[:-1] + b', "name": "second"}'


def lone_surrogate() -> bytes:
    return with_raw_field("name", r'"bad\ud800name"')


def paired_surrogates() -> bytes:
    return with_raw_field("name", '"' + uuid.uuid4().hex + r'\ud83d\ude00"')


BODY_CASES = [
    pytest.param(b'{"name": ', 7, id="malformed-json"),
    pytest.param(encoded()[:-1], 7, id="truncated"),
    pytest.param(encoded() + b"x", 7, id="trailing-garbage"),
    pytest.param(b"", 7, id="empty-body"),
    pytest.param(
        json.dumps(example_body(description="caf\u00e9"), ensure_ascii=False).encode("latin-1"), 7,
        id="latin-1-bytes",
    ),
    pytest.param(encoded()[:-1] + b', "description": "\xff\xfe"}', 7, id="invalid-utf8"),
    pytest.param(b"\xef\xbb\xbf" + encoded(), 7, id="utf8-bom"),
    pytest.param(json.dumps(example_body()).encode("utf-16"), 7, id="utf16"),
    pytest.param(duplicate_keys(), 7, id="duplicate-keys"),
    pytest.param(with_raw_field("metadata", '{"labels": [], "labels": []}'), 7, id="duplicate-nested-keys"),
    pytest.param(with_raw_field("name", "NaN"), 7, id="nan"),
    pytest.param(with_raw_field("name", "-Infinity"), 7, id="infinity"),
    pytest.param(lone_surrogate(), 7, id="lone-surrogate"),
    pytest.param(nested(10_000), 7, id="arrays-10000-deep"),
    pytest.param(nested_objects(10_000), 7, id="objects-10000-deep"),
    pytest.param(deep_labels(MAX_NESTING_DEPTH), 7, id="labels-over-depth"),
    pytest.param(deep_labels(10), 8, id="labels-10-deep"),
    pytest.param(encoded(description="x" * (10 * 1024 * 1024)), 7, id="body-10mb"),
    pytest.param(encoded(description="x" * (MAX_BODY_BYTES - 1000)), 8, id="body-under-limit"),
    pytest.param(b"null", 8, id="null-body"),
    pytest.param(b"[]", 8, id="array-body"),
    pytest.param(b'"hook"', 8, id="string-body"),
    pytest.param(b"42", 8, id="number-body"),
    pytest.param(json.dumps([example_body()]).encode(), 8, id="body-in-array"),
    pytest.param(encoded(name=None), 8, id="null-name"),
    pytest.param(encoded(metadata=None), 8, id="null-metadata"),
    pytest.param(encoded(arguments=[None]), 8, id="null-argument"),
    pytest.param(encoded(metadata={"labels": None}), 8, id="null-labels"),
    pytest.param(encoded(metadata=[]), 8, id="array-metadata"),
    pytest.param(encoded(matchingCriteria=[["podName", "x"]]), 8, id="array-criterion"),
    pytest.param(encoded(metadata={"labels": [["a", "b"]]}), 8, id="array-label"),
    pytest.param(encoded(name=5), 8, id="number-name"),
    pytest.param(encoded(version=1.2), 8, id="number-version"),
    pytest.param(encoded(enabled=True), 8, id="boolean-enabled"),
    pytest.param(encoded(arguments=[1]), 8, id="number-argument"),
    pytest.param(encoded(hookSourceID=0), 8, id="number-hook-source"),
    pytest.param(with_raw_field("name", "1" * 5000), 8, id="huge-integer"),
    pytest.param(with_raw_field("name", "1e999"), 8, id="huge-float"),
    pytest.param(encoded(name=""), 8, id="empty-name"),
    pytest.param(encoded(name=sized_name("a", 64)), 8, id="name-64-ascii"),
    pytest.param(encoded(name=sized_name("\u00e9", 64)), 8, id="name-64-two-byte"),
    pytest.param(encoded(name=sized_name("\U0001f600", 64)), 8, id="name-64-four-byte"),
    pytest.param(encoded(colour="red"), 8, id="unknown-key"),
    pytest.param(encoded(name=sized_name("a", 63)), 201, id="name-63-ascii"),
    pytest.param(encoded(name=sized_name("\u00e9", 63)), 201, id="name-63-two-byte"),
    pytest.param(encoded(name=sized_name("\u4e2d", 63)), 201, id="name-63-three-byte"),
    pytest.param(encoded(name=sized_name("\U0001f600", 63)), 201, id="name-63-four-byte"),
    pytest.param(paired_surrogates(), 201, id="paired-surrogate-escape"),
    pytest.param(encoded(description="nul \u0000 and bell \u0007"), 201, id="control-characters-in-string"),
]


def stored_count(client: Client) -> int:
    return client.server.store.count()


def created_count(expected: int) -> int:
    """Return how many hooks a request with outcome `expected` may leave in the store."""
    return 1 if expected == 201 else 0


def outcome(response: Any) -> int:
    if response.status_code == 201:
        return 201
    return problem_number(response.json()["type"])


def assert_documented(response: Any) -> None:
    """Assert that the response is one the contract documents, with a body of that shape."""
    assert response.status_code in CONTRACT.statuses
    body = response.json()
    if response.status_code == 201:
        shape = CONTRACT.response_shape(201, body_version=body["version"])
    else:
        shape = CONTRACT.response_shape(response.status_code, problem_number(body["type"]))
    jsonschema.validate(body, shape.body_schema)


@pytest.mark.parametrize(("data", "expected"), BODY_CASES)
def test_bad_body(client: Client, data: bytes, expected: int) -> None:
    before = stored_count(client)
    response = client.post(client.core_path(), data=data)
    assert outcome(response) == expected
    assert_documented(response)
    assert stored_count(client) - before == created_count(expected)


def test_body_10mb_chunked(client: Client) -> None:
    def chunks() -> Iterator[bytes]:
        block = b"x" * (1024 * 1024)
        yield b'{"description": "'
        for _ in range(10):
            yield block
        yield b'"}'

    before = stored_count(client)
    response = client.post(client.core_path(), data=chunks())
    assert outcome(response) == 7
    assert stored_count(client) == before


def test_rejected_body_not_stored(client: Client) -> None:
    name = f"rejected-{uuid.uuid4().hex}"
    client.post(client.core_path(), data=with_raw_field("name", f'"{name}"')[:-1] + b', "colour": 1}')
    names = [hook["name"] for hook in client.server.store.hooks(client.variables["account_id"])]
    assert name not in names


CONTENT_TYPES = [
    pytest.param(None, 7, id="missing"),
    pytest.param("text/plain", 7, id="text-plain"),
    pytest.param("application/xml", 7, id="xml"),
    pytest.param("application/json, text/plain", 7, id="list"),
    pytest.param("application/json; charset=iso-8859-1", 7, id="latin-1-charset"),
    pytest.param("application/problem+json", 7, id="problem-json"),
    pytest.param("", 7, id="empty"),
    pytest.param("application/json", 201, id="json"),
    pytest.param("APPLICATION/JSON", 201, id="json-upper-case"),
    pytest.param("application/json; charset=utf-8", 201, id="json-utf-8"),
    pytest.param('application/json;charset="UTF-8"', 201, id="json-quoted-charset"),
    pytest.param("application/astra-executionHook+json", 201, id="resource-type"),
    pytest.param("application/astra-executionhook+json; charset=utf-8", 201, id="resource-lower-case"),
]


@pytest.mark.parametrize(("content_type", "expected"), CONTENT_TYPES)
def test_content_type(client: Client, content_type: str | None, expected: int) -> None:
    headers = client.headers()
    del headers["Content-Type"]
    if content_type is not None:
        headers["Content-Type"] = content_type
    before = stored_count(client)
    response = client.post(client.core_path(), example_body(), headers=headers)
    assert outcome(response) == expected
    assert_documented(response)
    assert stored_count(client) - before == created_count(expected)


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("Authorization", "Bearer hh-owner-5b1d9c0e\x017a2f4e61", 4),
        ("Authorization", "Bearer hh-owner-5b1d9c0e7a2f4e61\x00", 4),
        ("Authorization", "Bearer hh-owner-5b1d9c0e7a2f4e61\x7f", 4),
        ("Content-Type", "application/json\x01", 7),
        ("Content-Type", "application/\x1bjson", 7),
        ("X-Note", "bell \x07 escape \x1b nul \x00", 201),
        ("Accept", "application/json\x02", 201),
    ],
    ids=["token-soh", "token-nul", "token-del", "content-type-soh", "content-type-esc",
         "unrelated-header", "accept"],
)
def test_control_characters_in_header(client: Client, header: str, value: str, expected: int) -> None:
    headers = client.headers()
    headers[header] = value
    before = stored_count(client)
    response = client.post(client.core_path(), example_body(), headers=headers)
    assert outcome(response) == expected
    assert_documented(response)
    assert stored_count(client) - before == created_count(expected)


def test_unknown_query_parameters(client: Client) -> None:
    response = client.post(client.core_path(), example_body(), params={"debug": "1", "\u00e9": "x"})
    assert outcome(response) == 6
    assert [item["name"] for item in response.json()["invalidParams"]] == ["debug", "\u00e9"]


QUERY_CASES = [
    pytest.param("debug=1", 6, ["debug"], id="unknown"),
    pytest.param("debug", 6, ["debug"], id="unknown-without-value"),
    pytest.param("limit=10", 6, ["limit"], id="well-formed-standard"),
    pytest.param("limit=ten", 5, ["limit"], id="malformed-standard"),
    pytest.param("limit=ten&debug=1", 5, ["limit"], id="malformed-and-unknown"),
    pytest.param("count=maybe&count=true", 5, ["count"], id="repeated"),
    pytest.param("%FF%FE=1", 6, ["\ufffd\ufffd"], id="name-not-utf8"),
    pytest.param("=1", 6, [""], id="empty-name"),
    pytest.param("a%00b=1", 6, ["a\u0000b"], id="nul-in-name"),
    pytest.param("x" * 5000 + "=1", 6, ["x" * 57 + "..."], id="name-5000-characters"),
    pytest.param("&", 201, [], id="separator-only"),
]


@pytest.mark.parametrize(("query", "expected", "names"), QUERY_CASES)
def test_query_parameters(client: Client, query: str, expected: int, names: list[str]) -> None:
    before = stored_count(client)
    url = f"{client.server.base_url}{client.core_path()}?{query}"
    response = client.session.post(url, data=encoded(), headers=client.headers())
    assert outcome(response) == expected
    assert_documented(response)
    assert stored_count(client) - before == created_count(expected)
    if expected != 201:
        assert [item["name"] for item in response.json()["invalidParams"]] == names


HEADER_CASES = [
    pytest.param({"Authorization": ["Bearer one", "Bearer two"]}, 3, id="authorization-repeated"),
    pytest.param({"Authorization": ["Basic b3duZXI6c2VjcmV0"]}, 3, id="authorization-basic"),
    pytest.param({"Authorization": ["Bearer"]}, 3, id="authorization-no-token"),
    pytest.param({"Authorization": ["Bearer " + "t" * 16_000]}, 4, id="token-16000-characters"),
    pytest.param({"Content-Type": ["application/json", "application/json"]}, 7, id="content-type-repeated"),
    pytest.param({"Content-Length": ["5"]}, 7, id="content-length-short"),
]


@pytest.mark.parametrize(("replaced", "expected"), HEADER_CASES)
def test_bad_headers(client: Client, replaced: dict[str, list[str]], expected: int) -> None:
    """Send the request on a raw socket, so that headers can repeat and lengths can lie."""
    headers = {**client.headers(), **{name: "" for name in replaced}}
    body = encoded()
    lines = [f"POST {client.core_path()} HTTP/1.1", f"Host: 127.0.0.1:{client.server.port}"]
    for name, value in headers.items():
        for item in replaced.get(name, [value]):
            lines.append(f"{name}: {item}")
    if "Content-Length" not in replaced:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    before = stored_count(client)
    status, payload = raw_exchange(client.server.port, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    assert status == CONTRACT.problems[expected].status
    assert problem_number(payload["type"]) == expected
    assert stored_count(client) == before


def raw_exchange(port: int, request: bytes) -> tuple[int, Any]:
    """Send `request` on a new connection and return the status and JSON body of the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def test_server_survives(client: Client) -> None:
    client.post(client.core_path(), data=nested(10_000))
    assert client.post(client.core_path(), example_body()).status_code == 201


# Any JSON value in any field: the response is always documented and shaped as documented.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from([
    "type", "version", "name", "hookType", "action", "stage", "hookSourceID", "arguments", "appID",
    "enabled", "description", "matchingCriteria", "metadata", "extra",
])


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(FIELDS, JSON_VALUES, max_size=3), version=st.sampled_from(["1.0", "1.1", "1.2", "1.3"]))
def test_fuzzed_fields(client: Client, changes: dict[str, Any], version: str) -> None:
    body = example_body(version=version)
    body.update(changes)
    response = client.post(client.core_path(), body)
    assert response.status_code < 500
    assert_documented(response)
