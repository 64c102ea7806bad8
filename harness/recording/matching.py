"""Request matching: the normalised key under which a recorded request is found again.

Two requests match when their keys are equal. The key contains the method, the path, the query
(parameter order ignored), the scrubbed Authorization value, the Content-Type and Accept
values, and the body. Bodies of JSON media types, `+json` types included, compare as parsed
JSON: key order is ignored, JSON types are not (`"true"` differs from `true`, `1` from
`1.0`). Other bodies, and JSON-typed bodies that do not parse, compare as bytes. Scheme, host
and port are left out, because the reference server listens on a new free port each run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from harness.recording.media import is_json_media_type, normalise_media_header

# The Accept value `requests` sends when a request sets none (requests.utils.default_headers).
# A request without Accept is keyed as if it had this one, so a request replayed without
# sending compares equal to the same request recorded through `requests`.
DEFAULT_ACCEPT = "*/*"


class BodyKey(NamedTuple):
    """A body as compared: ("json", canonical text) or ("bytes", raw bytes)."""

    kind: str
    value: str | bytes


class RequestKey(NamedTuple):
    method: str
    path: tuple[str, ...]
    query: tuple[tuple[str, str], ...]
    authorization: str | None
    content_type: str | None
    accept: str | None
    body: BodyKey


def canonical_json(document: Any) -> str:
    """Serialise parsed JSON with sorted keys, so that equal documents give equal text."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_key(body: bytes | None, content_type: str | None) -> BodyKey:
    body = body or b""
    if body and is_json_media_type(content_type):
        try:
            return BodyKey("json", canonical_json(json.loads(body.decode("utf-8"))))
        except (UnicodeDecodeError, ValueError):
            pass
    return BodyKey("bytes", body)


def path_key(path: str) -> tuple[str, ...]:
    """Split a URL path into percent-decoded segments; an empty path is "/".

    Decoding segment by segment keeps `a%2Fb` (one segment) apart from `a/b` (two).
    """
    segments = (path or "/").split("/")
    if "%" not in path:
        return tuple(segments)
    return tuple(unquote(segment) for segment in segments)


def query_key(query: str) -> tuple[tuple[str, str], ...]:
    """Return the decoded query parameters, sorted; `?limit=` keeps its empty value."""
    if not query:
        return ()
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def request_key(method: str, uri: str, headers: Mapping[str, str], body: bytes | None) -> RequestKey:
    """Return the key of a request whose `headers` have lowercase names.

    Call it on scrubbed requests only, so that the Authorization part contains a placeholder.
    """
    parts = urlsplit(uri)
    content_type = headers.get("content-type")
    return RequestKey(
        method=method.upper(),
        path=path_key(parts.path),
        query=query_key(parts.query),
        authorization=headers.get("authorization"),
        content_type=normalise_media_header(content_type),
        accept=normalise_media_header(headers.get("accept", DEFAULT_ACCEPT)),
        body=body_key(body, content_type),
    )


def lowercase_headers(headers: Mapping[str, Any]) -> dict[str, str]:
    """Lowercase header names; a list of values, as vcrpy stores them, is joined with ", "."""
    lowered: dict[str, str] = {}
    for name, value in headers.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(item) for item in value)
        lowered[name.lower()] = str(value)
    return lowered
