"""Replay miss reports: the recorded requests nearest to the one sent, and how they differ."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from harness.exchange import HttpRequest
from harness.recording.errors import NearMatch
from harness.recording.matching import BodyKey, RequestKey

MAX_NEAREST = 3
MAX_BODY_DIFFERENCES = 8
MAX_VALUE_LENGTH = 60
MAX_BODY_PREVIEW = 200

_HEADER_PARTS = (("authorization", "Authorization"), ("content_type", "Content-Type"), ("accept", "Accept"))


def request_line(method: str, uri: str) -> str:
    """Return "METHOD /path?query" without scheme and host."""
    parts = urlsplit(uri)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return f"{method.upper()} {target}"


def describe_request(request: HttpRequest) -> list[str]:
    """Return the lines that show a scrubbed request in an error message."""
    lines = [request_line(request.method, request.url)]
    for name in ("Authorization", "Content-Type", "Accept"):
        value = request.headers.get_ci(name)
        if value is not None:
            lines.append(f"{name}: {value}")
    if request.body:
        text = request.body.decode("utf-8", "replace")
        if len(text) > MAX_BODY_PREVIEW:
            text = f"{text[:MAX_BODY_PREVIEW]}... ({len(request.body)} bytes)"
        lines.append(f"body: {text}")
    return lines


def nearest_matches(sent: RequestKey, recorded: Sequence[tuple[RequestKey, str]]) -> list[NearMatch]:
    """Return up to three recorded requests sharing the most key parts with `sent`, in file order
    among equals, each with the parts that differ."""
    first_index: dict[RequestKey, int] = {}
    for index, (key, _) in enumerate(recorded):
        first_index.setdefault(key, index)
    # Identical recorded requests are shown once, by their first interaction.
    scored = sorted((-_shared_parts(sent, key), index) for key, index in first_index.items())
    return [
        NearMatch(index, recorded[index][1], tuple(differences(recorded[index][0], sent)))
        for _, index in scored[:MAX_NEAREST]
    ]


def _shared_parts(left: RequestKey, right: RequestKey) -> int:
    return sum(1 for a, b in zip(left, right) if a == b)


def differences(recorded: RequestKey, sent: RequestKey) -> list[str]:
    """Describe each key part in which `sent` differs from `recorded`."""
    found = []
    if recorded.method != sent.method:
        found.append(f"method: recorded {recorded.method}, sent {sent.method}")
    if recorded.path != sent.path:
        found.append(f"path: recorded {'/'.join(recorded.path)}, sent {'/'.join(sent.path)}")
    if recorded.query != sent.query:
        found.append(f"query: recorded {_query(recorded.query)!r}, sent {_query(sent.query)!r}")
    for field, name in _HEADER_PARTS:
        before, after = getattr(recorded, field), getattr(sent, field)
        if before != after:
            found.append(f"{name}: recorded {_shown(before)}, sent {_shown(after)}")
    if recorded.body != sent.body:
        found.extend(body_differences(recorded.body, sent.body))
    return found


def _query(pairs: tuple[tuple[str, str], ...]) -> str:
    return urlencode(pairs)


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    text = repr(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 3] + "..."


def body_differences(recorded: BodyKey, sent: BodyKey) -> list[str]:
    """Describe how two bodies differ: JSON paths through DeepDiff, else sizes and first byte."""
    if recorded == sent:
        return []
    if recorded.kind == "json" and sent.kind == "json":
        return _json_differences(json.loads(recorded.value), json.loads(sent.value))
    if recorded.kind != sent.kind:
        return [f"body: recorded {_kind(recorded)}, sent {_kind(sent)}"]
    return [_byte_difference(_as_bytes(recorded.value), _as_bytes(sent.value))]


def _kind(body: BodyKey) -> str:
    if body.kind == "json":
        return "JSON"
    return f"{len(body.value)} bytes that are not JSON of a JSON media type" if body.value else "no body"


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _byte_difference(recorded: bytes, sent: bytes) -> str:
    offset = next((i for i, (a, b) in enumerate(zip(recorded, sent)) if a != b), min(len(recorded), len(sent)))
    return f"body: recorded {len(recorded)} bytes, sent {len(sent)} bytes, first difference at byte {offset}"


def _json_differences(recorded: Any, sent: Any) -> list[str]:
    # Imported here: DeepDiff takes a quarter of a second to import, and only misses need it.
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    lines = []
    tree = DeepDiff(recorded, sent, view="tree")
    for kind, levels in tree.items():
        for level in levels:
            before = "(absent)" if level.t1 is notpresent else _shown(level.t1)
            after = "(absent)" if level.t2 is notpresent else _shown(level.t2)
            lines.append(f"body {level.path()}: recorded {before}, sent {after} ({kind.replace('_', ' ')})")
    lines.sort()
    if len(lines) > MAX_BODY_DIFFERENCES:
        hidden = len(lines) - MAX_BODY_DIFFERENCES
        lines = lines[:MAX_BODY_DIFFERENCES] + [f"... and {hidden} more body differences"]
    return lines
