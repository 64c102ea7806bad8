"""schema_deviations: every JSON Schema error becomes one deviation at its path."""

from __future__ import annotations

import copy

import pytest

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_RESPONSE
from harness.report.schema_errors import schema_deviations

SCHEMA = load_contract("1.3").response_shape(201, body_version="1.2").body_schema


def _body(**changes) -> dict:
    body = copy.deepcopy(EXAMPLE_RESPONSE)
    body.update(changes)
    return body


def _found(body, strict: bool = True) -> set[tuple[str, str]]:
    return {(d.path, d.kind) for d in schema_deviations(SCHEMA, body, label="201", strict=strict)}


def test_example_has_no_deviation():
    assert _found(_body()) == set()


def test_all_errors_reported():
    body = _body(action="delete", stage=1, name="", foo=None)
    del body["hookType"]

    assert _found(body) == {
        ("root['action']", "enum"),
        ("root['stage']", "wrong-type"),
        ("root['name']", "length"),
        ("root['foo']", "forbidden-key"),
        ("root['hookType']", "missing-key"),
    }


def test_two_missing_keys_both_reported():
    body = _body()
    del body["stage"], body["action"]

    assert _found(body) == {("root['stage']", "missing-key"), ("root['action']", "missing-key")}


def test_two_extra_keys_both_reported():
    assert _found(_body(a=1, b=2)) == {("root['a']", "forbidden-key"), ("root['b']", "forbidden-key")}


def test_nested_extra_key_not_strict():
    body = _body()
    body["metadata"]["extra"] = "x"

    assert _found(body, strict=False) == set()


def test_nested_extra_key_strict():
    body = _body()
    body["metadata"]["extra"] = "x"

    assert _found(body) == {("root['metadata']['extra']", "forbidden-key")}


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        ({"arguments": ["a"] * 17}, {("root['arguments']", "items"), ("root['arguments']", "unique")}),
        ({"arguments": ["x" * 128]}, {("root['arguments'][0]", "length")}),
        ({"hookSourceID": "50E89023-BA84-435D-BB47-1833F4C250FF"}, {("root['hookSourceID']", "pattern")}),
        ({"enabled": True}, {("root['enabled']", "wrong-type")}),
        ({"type": "application/json"}, {("root['type']", "value")}),
        ({"matchingCriteria": [{"type": "podName"}]},
         {("root['matchingCriteria'][0]['value']", "missing-key")}),
    ],
    ids=["too-many-arguments", "long-argument", "upper-case-uuid", "boolean-enabled", "fixed-type",
         "criterion-without-value"],
)
def test_constraint_kinds(changes, found):
    assert _found(_body(**changes)) == found


def test_wrong_type_hides_enum_at_same_path():
    deviations = schema_deviations(SCHEMA, _body(enabled=True), label="201")

    assert [d.kind for d in deviations] == ["wrong-type"]


def test_length_message_counts_characters():
    [deviation] = schema_deviations(SCHEMA, _body(name="n" * 64), label="201")

    assert deviation.message == "root['name'] has 64 characters, but the contract allows at most 63."


def test_pattern_message_describes_uuid():
    [deviation] = schema_deviations(SCHEMA, _body(id="hook-1"), label="201")

    assert "lowercase UUID" in deviation.message
