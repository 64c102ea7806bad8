"""Deviation values, DeepDiff-style paths and the phrases used in messages."""

from __future__ import annotations

import json

import pytest

from harness.report.deviation import (
    Deviation,
    describe_value,
    json_path,
    json_safe,
    json_type,
)
from harness.scenario.matchers import AnyUuid

PATH_CASES = [
    ("root", [], "root"),
    ("nested-keys", ["metadata", "createdBy"], "root['metadata']['createdBy']"),
    ("list-index", ["arguments", 0], "root['arguments'][0]"),
    ("key-with-quote", ["it's"], "root[\"it's\"]"),
]


@pytest.mark.parametrize(
    ("parts", "expected"), [case[1:] for case in PATH_CASES], ids=[case[0] for case in PATH_CASES]
)
def test_json_path(parts, expected):
    assert json_path(parts) == expected


DESCRIBE_CASES = [
    ("integer", 404, "the integer 404"),
    ("string", "404", 'the string "404"'),
    ("boolean", True, "the boolean true"),
    ("null", None, "null"),
    ("number", 1.5, "the number 1.5"),
    ("object", {"a": 1}, "an object with 1 keys"),
    ("array", [1, 2], "an array of 2 items"),
    ("matcher", AnyUuid(), "any lowercase UUID (version 4, version 5 or nil)"),
]


@pytest.mark.parametrize(
    ("value", "expected"), [case[1:] for case in DESCRIBE_CASES], ids=[case[0] for case in DESCRIBE_CASES]
)
def test_describe_value(value, expected):
    assert describe_value(value) == expected


def test_describe_long_string_cut():
    text = describe_value("x" * 500)

    assert len(text) < 120
    assert text.endswith("…")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "boolean"), (0, "integer"), (0.0, "number"), ([], "array"), ({}, "object"), (None, "null")],
    ids=["boolean", "integer", "number", "array", "object", "null"],
)
def test_json_type(value, expected):
    assert json_type(value) == expected


def test_json_safe_replaces_matchers_and_nan():
    value = {"id": AnyUuid(), "ratio": float("nan"), "list": (1, "a")}

    safe = json_safe(value)

    assert safe["id"] == "<any lowercase UUID (version 4, version 5 or nil)>"
    assert safe["ratio"] == "nan"
    assert safe["list"] == [1, "a"]


def test_to_dict_is_json_and_round_trips():
    deviation = Deviation("root['id']", "value", "expectation", AnyUuid(), "x", "root['id'] is wrong.")

    data = json.loads(json.dumps(deviation.to_dict()))

    assert data["expected"].startswith("<any lowercase UUID")
    assert Deviation.from_dict(data).message == "root['id'] is wrong."


def test_unknown_source_raises():
    with pytest.raises(ValueError, match="source"):
        Deviation("status", "status", "server", 201, 400, "expected 201, got 400.")
