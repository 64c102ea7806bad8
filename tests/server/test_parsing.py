"""Unit tests of the body syntax checks: Content-Type and strict JSON parsing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.server.parsing import (
    MAX_BODY_BYTES,
    MAX_NESTING_DEPTH,
    _parse_strict,
    check_content_type,
    parse_body,
)
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


# The orjson path of parse_body must return the same value or rejection as the strict path.

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers(min_value=-1000, max_value=1000)
    | st.integers(min_value=2**62, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(alphabet=st.sampled_from('ab:"\\é😀\x00'), max_size=6)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(alphabet="ab:", max_size=3), children, max_size=3),
    max_leaves=10,
)


def beyond_64_bits_as_float(value: object) -> object:
    """Return `value` with integers of more than 64 bits as floats, as parse_body documents."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        return float(value)
    if isinstance(value, list):
        return [beyond_64_bits_as_float(item) for item in value]
    if isinstance(value, dict):
        return {key: beyond_64_bits_as_float(item) for key, item in value.items()}
    return value


def strict_outcome(body: bytes) -> object:
    try:
        return ("value", beyond_64_bits_as_float(_parse_strict(body)))
    except Rejection as rejection:
        return ("rejected", rejection.number)


def outcome(body: bytes) -> object:
    try:
        return ("value", beyond_64_bits_as_float(parse_body(body)))
    except Rejection as rejection:
        return ("rejected", rejection.number)


def with_duplicate(text: str, key: str) -> str:
    """Return the JSON text of an object with `key` added once more at its end."""
    return text[:-1] + ("," if text != "{}" else "") + json.dumps(key) + ":1}"


@settings(max_examples=300, deadline=None, database=None)
@given(value=JSON_VALUES, ascii_only=st.booleans(), spaced=st.booleans())
def test_fast_path_same_value(value: object, ascii_only: bool, spaced: bool) -> None:
    separators = (", ", ": ") if spaced else (",", ":")
    body = json.dumps(value, ensure_ascii=ascii_only, separators=separators).encode()
    assert outcome(body) == strict_outcome(body)


@settings(max_examples=200, deadline=None, database=None)
@given(value=st.dictionaries(st.text(alphabet="ab:", max_size=3), JSON_VALUES, min_size=1, max_size=4),
       ascii_only=st.booleans())
def test_fast_path_duplicates_rejected(value: dict, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    body = with_duplicate(text, next(iter(value))).encode()
    assert outcome(body) == ("rejected", 7)


@pytest.mark.parametrize(
    "body",
    [b'{"a":1,"\\u0061":2}', b'{"\\u003a":1,"\\u003A":2,":":3}', b'{"x":{"a:b":"c:d","a:b":"e"}}',
     b'[{"k":1},{"k":1,"k":2}]', b'{"n":18446744073709551616}'],
    ids=["escaped-duplicate", "escaped-colons", "colons-in-strings", "duplicate-in-array", "beyond-64-bits"],
)
def test_fast_path_hard_cases(body: bytes) -> None:
    assert outcome(body) == strict_outcome(body)


def test_integer_beyond_64_bits_float() -> None:
    assert parse_body(b"[1180591620717411303423]") == [1.1805916207174113e21]
