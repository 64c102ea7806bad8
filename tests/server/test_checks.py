"""Tests of each check of a create request and of the order in which the checks run."""

from __future__ import annotations

import http.client
import json

import pytest

from harness.server.running import ReferenceServer

from .conftest import Client, example_body


def problem_of(response) -> tuple[int, int]:
    return response.status_code, int(response.json()["type"].rsplit("/", 1)[1])


# Check precedence: each case breaks two or more rules, and the earliest check decides.

def test_viewer_bad_body(client: Client) -> None:
    response = client.post(client.core_path(), data=b"{not json", token="viewer")
    assert problem_of(response) == (403, 11)


def test_bad_token_unknown_account(client: Client) -> None:
    response = client.post(client.core_path("unknown_account_id"), example_body(), token="invalid")
    assert problem_of(response) == (401, 4)


def test_no_token_unknown_account(client: Client) -> None:
    response = client.post(client.core_path("unknown_account_id"), example_body(), token=None)
    assert problem_of(response) == (401, 3)


def test_unknown_account_viewer(client: Client) -> None:
    response = client.post(client.core_path("unknown_account_id"), example_body(), token="viewer")
    assert problem_of(response) == (404, 2)


def test_other_account_owner(client: Client) -> None:
    response = client.post(client.core_path("disabled_account_id"), example_body())
    assert problem_of(response) == (404, 2)


def test_disabled_before_query(client: Client) -> None:
    response = client.post(
        client.core_path("disabled_account_id"), example_body(), token="disabled_owner",
        params={"limit": "abc"},
    )
    assert problem_of(response) == (403, 168)


def test_query_before_body(client: Client) -> None:
    response = client.post(client.core_path(), data=b"{", params={"foo": "1"})
    assert problem_of(response) == (400, 6)


def test_content_type_before_schema(client: Client) -> None:
    headers = client.headers(**{"Content-Type": "text/plain"})
    response = client.post(client.core_path(), {"name": 1}, headers=headers)
    assert problem_of(response) == (400, 7)


def test_schema_before_netapp(client: Client) -> None:
    response = client.post(client.core_path(), example_body(hookType="netapp", name="x" * 64))
    assert problem_of(response) == (400, 8)


def test_netapp_before_extended(client: Client) -> None:
    body = example_body(hookType="netapp", action="restore", stage="pre")
    assert problem_of(client.post(client.core_path(), body)) == (403, 73)


def test_extended_before_conflict(client: Client) -> None:
    body = example_body()
    assert client.post(client.core_path(), body).status_code == 201
    body["hookSourceID"] = client.variables["unknown_hook_source_id"]
    assert problem_of(client.post(client.core_path(), body)) == (400, 9)


def test_conflict_before_failover(client: Client) -> None:
    body = example_body(
        version="1.3", action="failover", stage="post", appID=client.variables["no_failover_app_id"]
    )
    path = client.app_path("no_failover_app_id")
    assert problem_of(client.post(path, dict(body, appID=client.variables["app_id"]))) == (409, 10)


# Check 1: authentication.

@pytest.mark.parametrize(
    "authorization",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "hh-owner-5b1d9c0e7a2f4e61", ""],
    ids=["basic", "scheme-only", "blank-token", "no-scheme", "empty"],
)
def test_not_bearer(client: Client, authorization: str) -> None:
    headers = client.headers(token=None, Authorization=authorization)
    assert problem_of(client.post(client.core_path(), example_body(), headers=headers)) == (401, 3)


def test_lowercase_scheme(client: Client) -> None:
    headers = client.headers(token=None, Authorization=f"bearer {client.variables['tokens.owner']}")
    assert client.post(client.core_path(), example_body(), headers=headers).status_code == 201


@pytest.mark.parametrize("token", ["hh-owner-5b1d9c0e7a2f4e61x", "owner", "a b"], ids=["suffix", "word", "space"])
def test_unknown_token(client: Client, token: str) -> None:
    headers = client.headers(token=None, Authorization=f"Bearer {token}")
    assert problem_of(client.post(client.core_path(), example_body(), headers=headers)) == (401, 4)


def test_repeated_authorization(server: ReferenceServer) -> None:
    token = server.variables["tokens.owner"]
    body = json.dumps(example_body()).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port)
    connection.putrequest("POST", f"/accounts/{server.variables['account_id']}/core/v1/executionHooks")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    payload = json.loads(response.read())
    connection.close()
    assert response.status == 401
    assert payload["type"].endswith("/3")


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
def test_role_may_create(client: Client, role: str) -> None:
    response = client.post(client.core_path(), example_body(), token=role)
    assert response.status_code == 201
    assert response.json()["metadata"]["createdBy"] != ""


# Check 2: collection.

@pytest.mark.parametrize(
    "suffix",
    ["/", "/extra", "s"],
    ids=["trailing-slash", "sub-path", "wrong-name"],
)
def test_unknown_route(client: Client, suffix: str) -> None:
    response = client.post(client.core_path() + suffix, example_body())
    assert problem_of(response) == (404, 2)


def test_get_not_served(client: Client) -> None:
    response = client.session.get(client.server.base_url + client.core_path(), headers=client.headers())
    assert problem_of(response) == (404, 2)


def test_get_needs_token(client: Client) -> None:
    response = client.session.get(client.server.base_url + client.core_path())
    assert problem_of(response) == (401, 3)


def test_app_of_other_account(client: Client) -> None:
    response = client.post(client.app_path("disabled_app_id"), example_body())
    assert problem_of(response) == (404, 2)


# Check 4: query parameters.

@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("limit=abc", 5), ("limit=-1", 5), ("skip=x", 5), ("count=maybe", 5), ("continue=", 5),
        ("filter=", 5), ("orderBy=name;drop", 5), ("include=a,,b", 5),
        ("limit=10", 6), ("count=true", 6), ("orderBy=name desc,id", 6), ("include=name,id", 6),
        ("filter=name eq 'x'", 6), ("continue=abc", 6), ("colour=red", 6), ("flag", 6),
        ("limit=abc&colour=red", 5),
    ],
    ids=lambda value: str(value),
)
def test_query_parameter(client: Client, query: str, number: int) -> None:
    response = client.session.post(
        f"{client.server.base_url}{client.core_path()}?{query}",
        data=json.dumps(example_body()), headers=client.headers(),
    )
    assert problem_of(response) == (400, number)


def test_query_lists_only_malformed(client: Client) -> None:
    response = client.post(client.core_path(), example_body(), params=[("limit", "abc"), ("colour", "red")])
    assert [item["name"] for item in response.json()["invalidParams"]] == ["limit"]


def test_query_repeats_once(client: Client) -> None:
    response = client.post(client.core_path(), example_body(), params=[("a", "1"), ("a", "2"), ("b", "")])
    assert response.json()["invalidParams"] == [
        {"name": "a", "reason": "unknown query parameter"},
        {"name": "b", "reason": "unknown query parameter"},
    ]


def test_empty_query_accepted(client: Client) -> None:
    response = client.session.post(
        f"{client.server.base_url}{client.core_path()}?", data=json.dumps(example_body()),
        headers=client.headers(),
    )
    assert response.status_code == 201


# Check 8: extended validation.

def test_invalid_regex(client: Client) -> None:
    criteria = [{"type": "podName", "value": "ok"}, {"type": "containerName", "value": "(a"}]
    response = client.post(client.core_path(), example_body(matchingCriteria=criteria))
    fields = response.json()["invalidFields"]
    assert response.status_code == 400
    assert [item["name"] for item in fields] == ["matchingCriteria[1].value"]
    assert fields[0]["reason"].startswith("not a valid RE2 regular expression: missing )")


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=x)", "x{1001}"], ids=["backreference", "lookahead", "repeat"])
def test_non_re2_regex(client: Client, pattern: str) -> None:
    criteria = [{"type": "containerImage", "value": pattern}]
    assert problem_of(client.post(client.core_path(), example_body(matchingCriteria=criteria))) == (400, 9)


def test_every_invalid_field(client: Client) -> None:
    body = example_body(
        action="restore", stage="pre",
        hookSourceID=client.variables["disabled_hook_source_id"],
        appID=client.variables["disabled_app_id"],
    )
    fields = client.post(client.core_path(), body).json()["invalidFields"]
    assert [item["name"] for item in fields] == ["stage", "hookSourceID", "appID"]


def test_app_path_ignores_app_check(client: Client) -> None:
    body = example_body(appID=client.variables["unknown_app_id"])
    response = client.post(client.app_path(), body)
    assert problem_of(response) == (409, 10)
    assert response.json()["invalidFields"] == [
        {"name": "appID", "reason": "differs from the app in the request path"}
    ]


@pytest.mark.parametrize("action", ["restore", "failover"])
def test_post_only_actions(client: Client, action: str) -> None:
    body = example_body(version="1.3", action=action, stage="post")
    assert client.post(client.core_path(), body).status_code == 201


# Checks 9 and 10: conflicts and failover.

def test_both_conflicts(client: Client) -> None:
    body = example_body()
    assert client.post(client.app_path(), body).status_code == 201
    body["appID"] = client.variables["no_failover_app_id"]
    fields = client.post(client.app_path(), body).json()["invalidFields"]
    assert [item["name"] for item in fields] == ["appID", "name"]


def test_name_case_sensitive(client: Client) -> None:
    body = example_body()
    assert client.post(client.core_path(), body).status_code == 201
    assert client.post(client.core_path(), dict(body, name=body["name"].upper())).status_code == 201


def test_failover_core_path(client: Client) -> None:
    body = example_body(
        version="1.3", action="failover", stage="post", appID=client.variables["no_failover_app_id"]
    )
    assert problem_of(client.post(client.core_path(), body)) == (409, 162)


def test_rejected_not_stored(client: Client) -> None:
    body = example_body(version="1.3", action="failover", stage="post",
                        appID=client.variables["no_failover_app_id"])
    assert client.post(client.core_path(), body).status_code == 409
    stored = client.server.store.hooks(client.variables["account_id"])
    assert body["name"] not in [hook["name"] for hook in stored]
