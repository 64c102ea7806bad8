"""check_contract against a deliberately wrong server: each fault at its path and kind."""

from __future__ import annotations

import hashlib
import json

import pytest

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_RESPONSE
from harness.exchange import Exchange, Headers, HttpRequest, HttpResponse
from harness.report.conformance import check_contract, media_type

from .conftest import ACCOUNT_ID, APP_PATH, CORE_PATH

CONTRACT = load_contract("1.3")

FAULTS = [
    ("valid-created", set()),
    ("missing-stage", {("root['stage']", "missing-key")}),
    ("extra-key", {("root['foo']", "forbidden-key")}),
    ("text-plain", {("header Content-Type", "content-type")}),
    ("no-location", {("header Location", "missing-header")}),
    ("wrong-location", {("header Location", "location")}),
    ("wrong-etag", {("header Etag", "etag")}),
    ("no-etag", {("header Etag", "missing-header")}),
    ("bad-action", {("root['action']", "enum")}),
    ("bad-timestamp", {("root['metadata']['creationTimestamp']", "pattern")}),
    ("id-not-uuid", {("root['id']", "pattern")}),
    ("long-name", {("root['name']", "length")}),
    ("duplicate-arguments", {("root['arguments']", "unique")}),
    ("problem-integer-status", {("root['status']", "wrong-type")}),
    ("problem-other-title", {("root['title']", "value")}),
    ("problem-8", set()),
    ("problem-json-media-type", {("header Content-Type", "content-type")}),
    ("problem-not-for-status", {("root['type']", "problem-type")}),
    ("problem-unknown-type", {("root['type']", "problem-type")}),
    ("not-json", {("root", "not-json")}),
    ("undocumented-500", {("status", "undocumented-status")}),
]


@pytest.mark.parametrize(("case", "expected"), FAULTS, ids=[case for case, _ in FAULTS])
def test_fault_reported_at_path(deviating_server, case, expected):
    exchange = deviating_server.create(case)

    found = {(d.path, d.kind) for d in check_contract(CONTRACT, exchange)}

    assert found == expected


def test_every_deviation_names_contract_source(deviating_server):
    deviations = check_contract(CONTRACT, deviating_server.create("missing-stage"))

    assert [d.source for d in deviations] == ["contract"]


def test_integer_status_message_names_both_types(deviating_server):
    [deviation] = check_contract(CONTRACT, deviating_server.create("problem-integer-status"))

    assert "the integer 404" in deviation.message
    assert 'the string "404"' in deviation.message
    assert deviation.actual == 404


def test_extra_key_ignored_when_not_strict(deviating_server):
    exchange = deviating_server.create("extra-key")

    deviations = check_contract(CONTRACT, exchange, strict=False)

    assert deviations == []


def test_enum_lists_actions_of_body_version(deviating_server):
    [deviation] = check_contract(CONTRACT, deviating_server.create("bad-action"))

    assert deviation.expected == ["snapshot", "backup", "restore"]
    assert '"delete"' in deviation.message
    assert '"restore"' in deviation.message


def test_title_message_names_documented_title(deviating_server):
    [deviation] = check_contract(CONTRACT, deviating_server.create("problem-other-title"))

    assert deviation.expected == "JSON resource conflict"
    assert "409 problem 10" in deviation.message


def test_etag_expected_is_md5_of_body(deviating_server):
    exchange = deviating_server.create("wrong-etag")

    [deviation] = check_contract(CONTRACT, exchange)

    assert deviation.expected == hashlib.md5(exchange.response.body).hexdigest()


def test_accept_astra_media_type_required(deviating_server):
    exchange = deviating_server.create("valid-created", accept="application/astra-executionHook+json")

    [deviation] = check_contract(CONTRACT, exchange)

    assert deviation.path == "header Content-Type"
    assert deviation.expected == "application/astra-executionHook+json"


def test_app_path_location_is_core_resource(deviating_server):
    exchange = deviating_server.create("valid-created", path=APP_PATH)

    assert check_contract(CONTRACT, exchange) == []


def test_missing_key_reported_once_per_key(deviating_server):
    exchange = deviating_server.create("missing-stage")

    paths = [d.path for d in check_contract(CONTRACT, exchange)]

    assert paths.count("root['stage']") == 1


def _created_exchange(body: dict, headers: dict[str, str] | None = None) -> Exchange:
    raw = json.dumps(body).encode()
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Location": f"https://astra.example{CORE_PATH}/{body.get('id')}",
        "Etag": hashlib.md5(raw).hexdigest(),
    }
    all_headers.update(headers or {})
    request = HttpRequest("POST", f"http://127.0.0.1:1{CORE_PATH}", Headers())
    return Exchange(request, HttpResponse(201, Headers(all_headers), raw))


def test_absolute_location_with_charset_passes():
    exchange = _created_exchange(dict(EXAMPLE_RESPONSE))

    assert check_contract(CONTRACT, exchange) == []


def test_quoted_etag_message_says_unquoted():
    body = dict(EXAMPLE_RESPONSE)
    digest = hashlib.md5(json.dumps(body).encode()).hexdigest()
    exchange = _created_exchange(body, {"Etag": f'"{digest}"'})

    [deviation] = check_contract(CONTRACT, exchange)

    assert deviation.kind == "etag"
    assert "without quotes" in deviation.message


def test_body_version_picks_schema():
    body = dict(EXAMPLE_RESPONSE, version="1.0")
    body.pop("matchingCriteria")

    assert check_contract(CONTRACT, _created_exchange(body)) == []


def test_older_body_rejects_newer_field():
    body = dict(EXAMPLE_RESPONSE, version="1.0")

    found = {(d.path, d.kind) for d in check_contract(CONTRACT, _created_exchange(body))}

    assert found == {("root['matchingCriteria']", "forbidden-key")}


def test_body_not_object_is_wrong_type():
    exchange = _created_exchange(dict(EXAMPLE_RESPONSE))
    exchange.response.body = b"[]"

    found = {(d.path, d.kind) for d in check_contract(CONTRACT, exchange)}

    assert ("root", "wrong-type") in found


def test_location_account_must_match_request():
    body = dict(EXAMPLE_RESPONSE)
    other = f"/accounts/another/core/v1/executionHooks/{body['id']}"
    exchange = _created_exchange(body, {"Location": other})

    [deviation] = check_contract(CONTRACT, exchange)

    assert deviation.kind == "location"
    assert ACCOUNT_ID in deviation.expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        (" application/problem+json ;q=1", "application/problem+json"),
    ],
    ids=["plain", "upper-case-with-charset", "spaces-and-parameter"],
)
def test_media_type_drops_parameters(content_type, expected):
    assert media_type(content_type) == expected
