"""Each documented problem type on both paths, reproduced with the documented fields."""

from __future__ import annotations

import re
from collections.abc import Callable

import jsonschema
import pytest
import requests

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_PROBLEMS
from harness.contract.facts import UUID_PATTERN
from harness.contract.problems import PROBLEMS

from .conftest import Client, example_body

CONTRACT = load_contract("1.3")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

Trigger = Callable[[Client, str], requests.Response]


def path_of(client: Client, operation: str, app: str = "app_id", account: str = "account_id") -> str:
    if operation == "core":
        return client.core_path(account)
    return client.app_path(app, account)


def body_for(client: Client, app: str = "app_id", **changes: object) -> dict:
    return example_body(appID=client.variables[app], **changes)


def collection_not_found(client: Client, operation: str) -> requests.Response:
    if operation == "core":
        return client.post(client.core_path("unknown_account_id"), body_for(client))
    return client.post(client.app_path("unknown_app_id"), body_for(client))


def missing_token(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client), token=None)


def invalid_token(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client), token="invalid")


def invalid_query(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client), params={"limit": "abc"})


def unsupported_query(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client), params={"colour": "red"})


def invalid_json(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), data=b'{"name": ')


def schema_violation(client: Client, operation: str) -> requests.Response:
    body = body_for(client)
    del body["name"]
    return client.post(path_of(client, operation), body)


def extended_violation(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client, action="restore", stage="pre"))


def conflict(client: Client, operation: str) -> requests.Response:
    body = body_for(client)
    first = client.post(path_of(client, operation), body)
    assert first.status_code == 201
    return client.post(path_of(client, operation), body)


def not_permitted(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client), token="viewer")


def netapp_hook(client: Client, operation: str) -> requests.Response:
    return client.post(path_of(client, operation), body_for(client, hookType="netapp"))


def failover_unsupported(client: Client, operation: str) -> requests.Response:
    body = body_for(client, "no_failover_app_id", version="1.3", action="failover", stage="post")
    return client.post(path_of(client, operation, app="no_failover_app_id"), body)


def hooks_disabled(client: Client, operation: str) -> requests.Response:
    body = example_body(
        appID=client.variables["disabled_app_id"],
        hookSourceID=client.variables["disabled_hook_source_id"],
    )
    path = path_of(client, operation, app="disabled_app_id", account="disabled_account_id")
    return client.post(path, body, token="disabled_owner")


TRIGGERS: dict[int, Trigger] = {
    2: collection_not_found,
    3: missing_token,
    4: invalid_token,
    5: invalid_query,
    6: unsupported_query,
    7: invalid_json,
    8: schema_violation,
    9: extended_violation,
    10: conflict,
    11: not_permitted,
    73: netapp_hook,
    162: failover_unsupported,
    168: hooks_disabled,
}


def test_every_type_has_trigger() -> None:
    assert set(TRIGGERS) == set(PROBLEMS)


@pytest.mark.parametrize("operation", ["core", "app"])
@pytest.mark.parametrize("number", sorted(TRIGGERS), ids=[f"problem-{n}" for n in sorted(TRIGGERS)])
def test_problem_type(client: Client, number: int, operation: str) -> None:
    problem = PROBLEMS[number]
    response = TRIGGERS[number](client, operation)
    body = response.json()
    assert response.status_code == problem.status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert body["type"] == problem.uri
    assert body["title"] == problem.title
    assert body["detail"] == problem.detail
    assert body["status"] == str(problem.status)
    assert UUID4.match(body["correlationID"])
    expected_keys = {"type", "title", "detail", "status", "correlationID"}
    if problem.extra_field:
        expected_keys.add(problem.extra_field)
    assert set(body) == expected_keys
    jsonschema.validate(body, CONTRACT.response_shape(problem.status, number).body_schema)


def test_correlation_ids_differ(client: Client) -> None:
    first = missing_token(client, "core").json()["correlationID"]
    second = missing_token(client, "core").json()["correlationID"]
    assert first != second
    assert re.match(UUID_PATTERN, first)


@pytest.mark.parametrize("number", sorted(EXAMPLE_PROBLEMS), ids=[f"example-{n}" for n in sorted(EXAMPLE_PROBLEMS)])
def test_documented_example(client: Client, number: int) -> None:
    body = TRIGGERS[number](client, "core").json()
    for key, value in EXAMPLE_PROBLEMS[number].items():
        assert body[key] == value, key


def test_invalid_params_shape(client: Client) -> None:
    body = invalid_query(client, "core").json()
    assert body["invalidParams"] == [
        {"name": "limit", "reason": "invalid value for limit: expected a non-negative integer"}
    ]


def test_unsupported_params_shape(client: Client) -> None:
    body = unsupported_query(client, "core").json()
    assert body["invalidParams"] == [{"name": "colour", "reason": "unknown query parameter"}]


def test_schema_failure_text(client: Client) -> None:
    body = schema_violation(client, "core").json()
    assert body["schemaValidationFailure"] == "name: required field is missing (required)"


def test_extended_fields(client: Client) -> None:
    body = extended_violation(client, "core").json()
    assert body["invalidFields"] == [
        {"name": "stage", "reason": "action restore allows only stage post"}
    ]


def test_conflict_fields(client: Client) -> None:
    body = conflict(client, "core").json()
    assert body["invalidFields"] == [
        {"name": "name", "reason": "a hook of the account already has this name"}
    ]
