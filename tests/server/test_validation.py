"""Unit tests of schema validation and its schemaValidationFailure texts."""

from __future__ import annotations

import copy

import pytest

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_REQUEST
from harness.server.problems import Rejection
from harness.server.validation import SchemaValidator, compiled_validator

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
