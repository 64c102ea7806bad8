"""Unit tests of the body syntax checks: Content-Type and strict JSON parsing."""

from __future__ import annotations

import pytest

from harness.server.parsing import MAX_BODY_BYTES, MAX_NESTING_DEPTH, check_content_type, parse_body
from harness.server.problems import Rejection


def rejection_reason(body: bytes) -> str:
    with pytest.raises(Rejection) as raised:
        parse_body(body)
    assert raised.value.number == 7
    return raised.value.reason


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{", "invalid JSON"),
        (b"\xff", "body is not UTF-8"),
        (b'{"a": 1, "a": 2}', "duplicate key"),
        (b'{"a": NaN}', "invalid JSON"),
        (b'{"a": Infinity}', "invalid JSON"),
        (b"[" * 5000 + b"]" * 5000, "nesting too deep"),
        (b"[" * (MAX_NESTING_DEPTH + 1) + b"]" * (MAX_NESTING_DEPTH + 1), "nesting too deep"),
        (b'["\\udc00"]', "unpaired surrogate escape"),
        (b'{"\\ud800": 1}', "unpaired surrogate escape"),
        (b" " * (MAX_BODY_BYTES + 1), f"body over {MAX_BODY_BYTES} bytes"),
    ],
    ids=["syntax", "not-utf8", "duplicate", "nan", "infinity", "deep", "one-over-depth",
         "surrogate-value", "surrogate-key", "too-large"],
)
def test_rejected(body: bytes, reason: str) -> None:
    assert rejection_reason(body) == reason


def test_depth_at_limit() -> None:
    body = b"[" * MAX_NESTING_DEPTH + b"]" * MAX_NESTING_DEPTH
    assert isinstance(parse_body(body), list)


def test_many_shallow_arrays() -> None:
    assert len(parse_body(b"[" + b",".join([b"[]"] * 1000) + b"]")) == 1000


def test_surrogate_pair_kept() -> None:
    assert parse_body(b'["\\ud83d\\ude00"]') == ["\U0001f600"]


def test_huge_integer_float() -> None:
    assert parse_body(b"1" * 5000) == float("inf")


@pytest.mark.parametrize(
    "values",
    [[], ["text/plain"], ["application/json", "application/json"], ["application/json; charset=latin-1"]],
    ids=["missing", "other", "repeated", "charset"],
)
def test_content_type_rejected(values: list[str]) -> None:
    with pytest.raises(Rejection) as raised:
        check_content_type(values)
    assert raised.value.number == 7


@pytest.mark.parametrize(
    "value",
    ["application/json", " Application/Json ; charset=UTF8", "application/astra-executionHook+json; x=y"],
    ids=["plain", "spaces-case", "other-parameter"],
)
def test_content_type_accepted(value: str) -> None:
    check_content_type([value])
