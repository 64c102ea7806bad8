"""The OpenAPI document at GET /openapi.json, and what other methods on the paths return."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests
import schemathesis

from harness.contract import load_contract
from harness.contract.facts import API_VERSIONS, APP_PATH, CORE_PATH
from harness.contract.problems import problem_number
from harness.contract.schemas import created_schema, problem_schema, request_schema
from harness.server.openapi import OPENAPI_PATH, openapi_document, openapi_schema
from harness.server.running import ReferenceServer

from .conftest import Client


@pytest.fixture(scope="module", params=API_VERSIONS)
def versioned_server(request: pytest.FixtureRequest) -> Iterator[ReferenceServer]:
    with ReferenceServer(api_version=request.param) as running:
        yield running


def fetch_document(server: ReferenceServer) -> requests.Response:
    return requests.get(server.base_url + OPENAPI_PATH, timeout=30)


def test_served_without_token(versioned_server: ReferenceServer) -> None:
    response = fetch_document(versioned_server)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == openapi_document(load_contract(versioned_server.api_version))


def test_valid_openapi(versioned_server: ReferenceServer) -> None:
    document = fetch_document(versioned_server).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    assert document["openapi"] == "3.0.3"
    assert [result.ok().label for result in schema.get_all_operations()] == [
        f"POST {CORE_PATH}", f"POST {APP_PATH}",
    ]


def test_security_bearer(versioned_server: ReferenceServer) -> None:
    document = fetch_document(versioned_server).json()
    assert document["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    assert document["security"] == [{"bearer": []}]


def test_documented_statuses(versioned_server: ReferenceServer) -> None:
    contract = load_contract(versioned_server.api_version)
    document = fetch_document(versioned_server).json()
    for path in (CORE_PATH, APP_PATH):
        responses = document["paths"][path]["post"]["responses"]
        assert sorted(int(status) for status in responses) == list(contract.statuses)


def test_problems_per_status(versioned_server: ReferenceServer) -> None:
    contract = load_contract(versioned_server.api_version)
    responses = fetch_document(versioned_server).json()["paths"][CORE_PATH]["post"]["responses"]
    for status in contract.statuses:
        if status == 201:
            continue
        schema = responses[str(status)]["content"]["application/problem+json"]["schema"]
        references = [schema] if "$ref" in schema else schema["oneOf"]
        documented = sorted(number for number, problem in contract.problems.items() if problem.status == status)
        assert sorted(int(item["$ref"].rsplit("-", 1)[1]) for item in references) == documented


def test_schemas_from_contract(versioned_server: ReferenceServer) -> None:
    contract = load_contract(versioned_server.api_version)
    schemas = fetch_document(versioned_server).json()["components"]["schemas"]
    for version in contract.features.accepted_body_versions:
        expected_request = openapi_schema(request_schema(version, contract.version))
        expected_request["properties"]["version"] = {"type": "string", "enum": [version]}
        expected_created = openapi_schema(created_schema(version, contract.version))
        expected_created["properties"]["version"] = {"type": "string", "enum": [version]}
        assert schemas[f"createRequest-{version}"] == expected_request
        assert schemas[f"executionHook-{version}"] == expected_created
    for number, problem in contract.problems.items():
        assert schemas[f"problem-{number}"] == openapi_schema(problem_schema(problem))


def test_openapi_schema_conversion() -> None:
    converted = openapi_schema({
        "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": [],
        "properties": {"a": {"type": "object", "required": [], "properties": {}}},
        "enum": [{"required": []}],
    })
    assert converted == {
        "type": "object", "properties": {"a": {"type": "object", "properties": {}}},
        "enum": [{"required": []}],
    }


METHODS = ["GET", "PUT", "PATCH", "DELETE"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ["core", "app"])
def test_other_methods_not_found(client: Client, method: str, path: str) -> None:
    """The server serves only POST on the collections: other methods get 404 problem 2."""
    url = client.server.base_url + (client.core_path() if path == "core" else client.app_path())
    response = client.session.request(method, url, headers=client.headers())
    assert response.status_code == 404
    assert problem_number(response.json()["type"]) == 2
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", METHODS)
def test_other_methods_token_first(client: Client, method: str) -> None:
    """Authentication is check 1, so a request without a token gets 401 problem 3 first."""
    response = client.session.request(method, client.server.base_url + client.core_path())
    assert response.status_code == 401
    assert problem_number(response.json()["type"]) == 3


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_document_only_get(client: Client, method: str) -> None:
    response = client.session.request(method, client.server.base_url + OPENAPI_PATH, headers=client.headers())
    assert response.status_code == 404
    assert problem_number(response.json()["type"]) == 2


def test_document_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harness.server.app")
    client.session.get(client.server.base_url + OPENAPI_PATH)
    lines = [record.getMessage() for record in caplog.records if record.name == "harness.server.app"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /openapi.json 200 problem=- ")
