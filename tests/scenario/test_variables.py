"""Tests of `${variable}` references and request resolution."""

from __future__ import annotations

import json

import pytest

from harness.scenario.matchers import AnyUuid, Regex
from harness.scenario.model import RequestSpec
from harness.scenario.variables import (
    MissingVariableError,
    VariableSyntaxError,
    names_in,
    referenced_in_value,
    referenced_variables,
    resolve_request,
    resolve_value,
    substitute,
    template_error,
)

VARIABLES = {
    "account_id": "f92c7bbf-cf45-401d-8e1c-d7ac4822de56",
    "app_id": "7be5ae7c-151d-4230-ac39-ac1d0b33c2a9",
    "name_prefix": "run-7-",
    "tokens.owner": "owner-token",
}
CORE = "/accounts/${account_id}/core/v1/executionHooks"

SUBSTITUTIONS = [
    ("plain", "no references", "no references"),
    ("one", "${name_prefix}Payroll", "run-7-Payroll"),
    ("dotted", "Bearer ${tokens.owner}", "Bearer owner-token"),
    ("two", "${name_prefix}${name_prefix}", "run-7-run-7-"),
    ("escaped", "$${name_prefix}", "${name_prefix}"),
    ("escaped-then-real", "$${x} ${name_prefix}", "${x} run-7-"),
    ("lone-dollar", "cost $5 and $$", "cost $5 and $$"),
    ("brace-only", "{name_prefix}", "{name_prefix}"),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in SUBSTITUTIONS],
                         ids=[case[0] for case in SUBSTITUTIONS])
def test_substitute(text: str, expected: str) -> None:
    assert substitute(text, VARIABLES) == expected


SYNTAX_ERRORS = [
    ("unterminated", "${account_id", "no closing"),
    ("empty", "${}", "not a valid variable reference"),
    ("space", "${account id}", "not a valid variable reference"),
    ("leading-digit", "${1st}", "not a valid variable reference"),
    ("trailing-dot", "${tokens.}", "not a valid variable reference"),
]


@pytest.mark.parametrize(("text", "fragment"), [case[1:] for case in SYNTAX_ERRORS],
                         ids=[case[0] for case in SYNTAX_ERRORS])
def test_syntax_error(text: str, fragment: str) -> None:
    problem = template_error(text)
    assert problem is not None
    assert fragment in problem
    with pytest.raises(VariableSyntaxError):
        names_in(text)


def test_names_in_order() -> None:
    assert names_in("${b}/${a}/$${c}/${b}") == ["b", "a", "b"]


def test_referenced_variables() -> None:
    spec = RequestSpec(
        path="/accounts/${account_id}/k8s/v1/apps/${app_id}/executionHooks",
        query=[("filter", "${filter_value}")],
        headers={"Authorization": "Bearer ${tokens.owner}", "X-Literal": "$${not_a_variable}"},
        body={"name": "${name_prefix}x", "labels": [{"value": "${label}"}], "n": 5},
    )
    assert referenced_variables(spec) == {
        "account_id", "app_id", "filter_value", "tokens.owner", "name_prefix", "label",
    }


def test_referenced_in_raw_body() -> None:
    spec = RequestSpec(path="/", raw_body='{"name": "${name_prefix}x"')
    assert referenced_variables(spec) == {"name_prefix"}


def test_referenced_in_value() -> None:
    assert referenced_in_value({"appID": "${app_id}", "id": AnyUuid()}) == {"app_id"}


def test_resolve_url_and_headers() -> None:
    spec = RequestSpec(path=CORE, headers={"Authorization": "Bearer ${tokens.owner}"})
    request = resolve_request(spec, VARIABLES, "http://127.0.0.1:8080/")
    assert request.method == "POST"
    assert request.url == "http://127.0.0.1:8080/accounts/f92c7bbf-cf45-401d-8e1c-d7ac4822de56/core/v1/executionHooks"
    assert request.headers == {"Authorization": "Bearer owner-token"}
    assert request.headers.get_ci("authorization") == "Bearer owner-token"
    assert request.body == b""


def test_resolve_query_encoded() -> None:
    spec = RequestSpec(path="/x", query=[("limit", "abc"), ("filter", "name eq '${name_prefix}a/b'"),
                                         ("limit", "5")])
    request = resolve_request(spec, VARIABLES, "http://h")
    assert request.url == "http://h/x?limit=abc&filter=name%20eq%20%27run-7-a%2Fb%27&limit=5"


def test_resolve_path_value_encoded() -> None:
    spec = RequestSpec(path="/accounts/${account_id}/x")
    request = resolve_request(spec, {"account_id": "a b/../c?d"}, "http://h")
    assert request.url == "http://h/accounts/a%20b%2F..%2Fc%3Fd/x"


def test_resolve_json_body_bytes() -> None:
    spec = RequestSpec(path="/x", body={"name": "${name_prefix}Café", "arguments": ["a", 1], "on": True})
    request = resolve_request(spec, VARIABLES, "http://h")
    assert request.body == '{"name":"run-7-Café","arguments":["a",1],"on":true}'.encode()


def test_resolve_body_keeps_key_order() -> None:
    body = {"z": 1, "a": 2, "m": {"y": 1, "b": 2}}
    request = resolve_request(RequestSpec(path="/x", body=body), {}, "http://h")
    assert json.loads(request.body) == body
    assert request.body == b'{"z":1,"a":2,"m":{"y":1,"b":2}}'


def test_resolve_null_body() -> None:
    request = resolve_request(RequestSpec(path="/x", body=None), {}, "http://h")
    assert request.body == b"null"


def test_resolve_raw_body() -> None:
    spec = RequestSpec(path="/x", raw_body='{"name": "${name_prefix}é", $${')
    request = resolve_request(spec, VARIABLES, "http://h")
    assert request.body == '{"name": "run-7-é", ${'.encode()


def test_resolve_raw_body_base64() -> None:
    spec = RequestSpec(path="/x", raw_body_base64="/+7/")
    request = resolve_request(spec, {}, "http://h")
    assert request.body == b"\xff\xee\xff"


def test_missing_variables_listed() -> None:
    spec = RequestSpec(
        path="/accounts/${unknown_account_id}/core/v1/executionHooks",
        headers={"Authorization": "Bearer ${tokens.viewer}"},
        body={"appID": "${app_id}", "hookSourceID": "${hook_source_id}", "again": "${hook_source_id}"},
    )
    with pytest.raises(MissingVariableError) as caught:
        resolve_request(spec, VARIABLES, "http://h")
    error = caught.value
    assert error.names == {"unknown_account_id", "tokens.viewer", "hook_source_id"}
    assert error.missing["tokens.viewer"] == ["headers.Authorization"]
    assert error.missing["hook_source_id"] == ["body.hookSourceID", "body.again"]
    assert "unknown_account_id (used in path)" in str(error)
    assert "token_env" in str(error)


def test_missing_error_hides_values() -> None:
    spec = RequestSpec(path="/${missing}", headers={"Authorization": "Bearer ${tokens.owner}"})
    with pytest.raises(MissingVariableError) as caught:
        resolve_request(spec, VARIABLES, "http://h")
    assert "owner-token" not in str(caught.value)


def test_resolve_value_nested() -> None:
    expected = {
        "appID": "${app_id}",
        "id": AnyUuid(),
        "labels": [{"name": "n", "value": "${name_prefix}v"}],
        "count": 3,
        "location": Regex("^.*/${account_id}$"),
    }
    resolved = resolve_value(expected, VARIABLES)
    assert resolved["appID"] == VARIABLES["app_id"]
    assert resolved["id"] == AnyUuid()
    assert resolved["labels"] == [{"name": "n", "value": "run-7-v"}]
    assert resolved["count"] == 3
    assert resolved["location"] == Regex("^.*/${account_id}$")
    assert expected["appID"] == "${app_id}"


def test_resolve_value_missing() -> None:
    with pytest.raises(MissingVariableError) as caught:
        resolve_value({"appID": "${other_app}"}, VARIABLES, where="expect.body")
    assert caught.value.missing == {"other_app": ["expect.body.appID"]}
