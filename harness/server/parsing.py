"""Syntax checks of the request body: Content-Type, size, UTF-8, JSON, duplicate keys, depth.

Every failure raises Rejection(7): the body is not JSON that the server can read.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from harness.contract.facts import ACCEPTED_REQUEST_MEDIA_TYPES
from harness.server.problems import Rejection

# Bodies above this size are not read. The largest valid create body is a few kilobytes
# unless it carries thousands of labels.
# NOTE: the vendor documents no size limit, so this value, and problem 7 for a larger
# body, are guesses that a real server may not share.
MAX_BODY_BYTES = 1024 * 1024

# Deepest nesting of objects and arrays the server parses. A valid body nests 4 levels
# (body, metadata, labels, label), so 64 leaves room for schema errors to be reported as such.
MAX_NESTING_DEPTH = 64

_ACCEPTED_LOWER = tuple(media_type.lower() for media_type in ACCEPTED_REQUEST_MEDIA_TYPES)
_CHARSETS = ("utf-8", "utf8")
# Integers with more digits than this are parsed as floats, because Python refuses to
# convert strings of more than 4300 digits to int. Either way they fail the schema.
_MAX_INT_DIGITS = 4000
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Returned by _parse_common for a body that only the strict parser may decide.
_UNPARSED = object()


class _DuplicateKeyError(ValueError):
    pass


def check_content_type(values: list[str]) -> None:
    """Raise Rejection(7) unless there is one Content-Type of a JSON media type this
    operation accepts, with no charset other than UTF-8."""
    if len(values) != 1:
        reason = "Content-Type missing" if not values else "Content-Type repeated"
        raise Rejection(7, reason=reason)
    media_type, *parameters = values[0].split(";")
    if media_type.strip().lower() not in _ACCEPTED_LOWER:
        raise Rejection(7, reason="Content-Type not accepted")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in _CHARSETS:
            raise Rejection(7, reason="charset is not UTF-8")


def parse_body(body: bytes) -> Any:
    """Return the JSON value of `body`, raising Rejection(7) for anything but strict JSON.

    Rejected: bodies over MAX_BODY_BYTES, bytes that are not UTF-8 (a byte order mark
    included), invalid JSON, NaN and Infinity, duplicate object keys, nesting deeper than
    MAX_NESTING_DEPTH, and unpaired UTF-16 surrogate escapes such as "\\ud800".
    Integers beyond 64 bits may come back as floats; no field of a create body is a number.
    """
    if len(body) > MAX_BODY_BYTES:
        raise Rejection(7, reason=f"body over {MAX_BODY_BYTES} bytes")
    value = _parse_common(body)
    if value is _UNPARSED:
        return _parse_strict(body)
    return value


def _parse_common(body: bytes) -> Any:
    """Return the value of a body of the common kind, or _UNPARSED to leave it to
    `_parse_strict`, which decides every other body.

    orjson parses about three times faster than the standard library and rejects what
    strict JSON rejects, but it keeps the last of duplicate keys. A body has duplicate keys
    exactly when it has more colons than its re-encoding: every object member has one
    colon between key and value, strings keep their colons, and a dropped duplicate drops
    at least its own colon. An escaped colon (\\u003a) would spoil the count, and deep
    nesting needs the depth check, so such bodies take the strict path.
    """
    if b"\\u003" in body or body.count(b"{") + body.count(b"[") > MAX_NESTING_DEPTH:
        return _UNPARSED
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _UNPARSED
    if body.count(b":") != orjson.dumps(value).count(b":"):
        return _UNPARSED
    return value


def _parse_strict(body: bytes) -> Any:
    """Return the JSON value of `body` with the standard library, raising Rejection(7)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejection(7, reason="body is not UTF-8") from None
    try:
        value = _DECODER.decode(text)
    except _DuplicateKeyError:
        raise Rejection(7, reason="duplicate key") from None
    except RecursionError:
        raise Rejection(7, reason="nesting too deep") from None
    except ValueError:
        raise Rejection(7, reason="invalid JSON") from None
    # Counting brackets bounds the depth from above and is fast, so the walk below only
    # runs for bodies with many arrays or objects.
    if text.count("{") + text.count("[") > MAX_NESTING_DEPTH and _depth(value) > MAX_NESTING_DEPTH:
        raise Rejection(7, reason="nesting too deep")
    if _SURROGATE_ESCAPE.search(text) is not None and _has_unpaired_surrogate(value):
        raise Rejection(7, reason="unpaired surrogate escape")
    return value


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _DuplicateKeyError()
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_int(text: str) -> int | float:
    return int(text) if len(text) <= _MAX_INT_DIGITS else float(text)


# Built once: json.loads with hooks builds a new decoder on every call.
_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_constant=_reject_constant,
    parse_int=_parse_int,
)


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return []


def _depth(value: Any) -> int:
    """Return how deeply arrays and objects nest in `value` (a scalar has depth 0)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in _children(node))
    return deepest


def _has_unpaired_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node) is not None:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
