"""Unit tests of schema validation and its schemaValidationFailure texts."""

from __future__ import annotations

import copy

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_REQUEST
from harness.server.problems import Rejection
from harness.server.validation import SchemaValidator, compiled_validator, fast_validator

VALIDATOR = SchemaValidator(load_contract("1.3"))


def failure(body: object) -> str:
    with pytest.raises(Rejection) as raised:
        VALIDATOR.validate(body)
    assert raised.value.number == 8
    return raised.value.extra


def changed(**changes: object) -> dict:
    body = copy.deepcopy(EXAMPLE_REQUEST)
    body.update(changes)
    return body


def without(key: str) -> dict:
    body = copy.deepcopy(EXAMPLE_REQUEST)
    del body[key]
    return body


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ([], "body: must be a JSON object (type)"),
        (without("version"), "version: required field is missing (required)"),
        (changed(version="9.9"), "version: must be one of 1.0, 1.1, 1.2, 1.3 (enum)"),
        (changed(version=1.2), "version: must be one of 1.0, 1.1, 1.2, 1.3 (enum)"),
        (without("appID"), "appID: required field is missing (required)"),
        (changed(colour="red"), "colour: unknown field (additionalProperties)"),
        (changed(name="x" * 64), "name: must be shorter than or equal to 63 characters (maxLength)"),
        (changed(hookType="other"), "hookType: must be one of ['custom', 'netapp'] (enum)"),
        (changed(hookSourceID="x"), "hookSourceID: must be a lowercase UUID of version 4 or 5 (pattern)"),
        (changed(arguments=["a", "a"]), "arguments: must contain unique items (uniqueItems)"),
        (changed(metadata={"labels": [{"name": "a"}]}),
         "metadata.labels[0].value: required field is missing (required)"),
        (changed(metadata={"labels": [{"name": "a", "value": 1}]}),
         "metadata.labels[0].value: must be string (type)"),
        (changed(metadata={"creationTimestamp": "yesterday"}),
         "metadata.creationTimestamp: must be a UTC timestamp such as 2024-01-31T12:00:00.000000Z (pattern)"),
        (changed(matchingCriteria=[{"type": "podName", "value": "a", "x" * 100: 1}]),
         f"matchingCriteria[0].{'x' * 57}...: unknown field (additionalProperties)"),
    ],
    ids=["not-object", "no-version", "version-unknown", "version-number", "missing-field",
         "unknown-field", "too-long", "enum", "uuid", "unique", "nested-required", "nested-type",
         "timestamp", "long-key"],
)
def test_failure_text(body: object, text: str) -> None:
    assert failure(body) == text


def test_returns_body_version() -> None:
    assert VALIDATOR.validate(changed(version="1.1")) == "1.1"


def test_validators_shared() -> None:
    assert compiled_validator("1.3", "1.2") is compiled_validator("1.3", "1.2")


def test_accepted_versions_by_server() -> None:
    assert SchemaValidator(load_contract("1.1")).accepted_versions == ("1.0", "1.1")


# jsonschema-rs decides first, so it must agree with fastjsonschema on every body.

FIELD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=70)
    | st.sampled_from(["1.0", "1.3", "custom", "netapp", "pre", "post", "failover", "true",
                       "podName", "containerImage", EXAMPLE_REQUEST["appID"], "\u00e9" * 64]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["name", "value", "type", "labels", "x"]), children, max_size=3),
    max_leaves=8,
)
FIELDS = st.sampled_from([
    "type", "version", "name", "hookType", "action", "stage", "hookSourceID", "arguments", "appID",
    "enabled", "description", "matchingCriteria", "metadata", "extra",
])


def fastjsonschema_accepts(server_version: str, body_version: str, body: dict) -> bool:
    try:
        compiled_validator(server_version, body_version)(body)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


@settings(max_examples=300, deadline=None, database=None)
@given(
    changes=st.dictionaries(FIELDS, FIELD_VALUES, max_size=3),
    removed=st.lists(FIELDS, max_size=2),
    body_version=st.sampled_from(["1.0", "1.1", "1.2", "1.3"]),
)
def test_validators_agree(changes: dict, removed: list, body_version: str) -> None:
    body = changed(version=body_version)
    body.update(changes)
    for key in removed:
        body.pop(key, None)
    fast = fast_validator("1.3", body_version).is_valid(body)
    assert fast == fastjsonschema_accepts("1.3", body_version, body)


def test_fast_validator_cached() -> None:
    assert fast_validator("1.3", "1.2") is fast_validator("1.3", "1.2")
