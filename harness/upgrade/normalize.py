"""Comparable views of recorded exchanges: what stays when the server's host and port go.

Two recordings of one scenario come from servers on different hosts or ports (the
reference server takes a free port each run), so request URLs lose their origin and a
Location URL on the request's origin keeps only its path. A Location URL is split into
`url`, everything up to the final "/", and `id`, the final path segment.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from harness.contract.problems import problem_number
from harness.exchange import Exchange, Headers

Substitution = tuple[str, str]

CONTENT_TYPE = "content-type"
LOCATION = "location"


@dataclass(frozen=True)
class ComparableExchange:
    """One exchange as the diff compares it.

    `request` has the keys method, path, query, headers and body; `response` has headers
    and body. Header names are lowercase. Bodies are parsed JSON, text when they are not
    JSON, or None when empty. `problem_type` is the problem number of a problem response,
    the raw `type` text when that is not a problem URI, and None for other responses.
    """

    request: dict[str, Any]
    status: int
    content_type: str | None
    problem_type: int | str | None
    response: dict[str, Any]


def comparable_exchange(exchange: Exchange, substitutions: Sequence[Substitution] = ()) -> ComparableExchange:
    """Return the comparable view of `exchange`, with each (old, new) text replaced in strings."""
    request_parts = urlsplit(exchange.request.url)
    origin = (request_parts.scheme, request_parts.netloc)
    request = {
        "method": exchange.request.method.upper(),
        "path": request_parts.path,
        "query": request_parts.query,
        "headers": _lowercase(exchange.request.headers),
        "body": parse_body(exchange.request.body),
    }
    response_headers = _lowercase(exchange.response.headers)
    content_type = response_headers.pop(CONTENT_TYPE, None)
    if LOCATION in response_headers:
        response_headers[LOCATION] = split_location(response_headers[LOCATION], origin)
    body = parse_body(exchange.response.body)
    status = exchange.response.status
    return ComparableExchange(
        request=substitute(request, substitutions),
        status=status,
        content_type=content_type,
        problem_type=_problem_type(status, body),
        response=substitute({"headers": response_headers, "body": body}, substitutions),
    )


def parse_body(body: bytes) -> Any:
    """Return a body as parsed JSON, as text when it is not JSON, or None when it is empty."""
    if not body:
        return None
    text = body.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def split_location(location: str, origin: tuple[str, str]) -> dict[str, str]:
    """Split a Location URL into `url` (up to the last "/") and `id` (the final segment).

    The scheme and host are dropped when they are those of the request.
    """
    parts = urlsplit(location)
    relative = location
    if (parts.scheme, parts.netloc) == origin:
        relative = parts.path + (f"?{parts.query}" if parts.query else "")
    head, separator, last = relative.rpartition("/")
    return {"url": head + separator, "id": last}


def same_media_type(first: str | None, second: str | None) -> bool:
    """Return whether two Content-Type values are equal, ignoring case and blanks around ";"."""
    return _canonical_media_type(first) == _canonical_media_type(second)


def _canonical_media_type(value: str | None) -> str | None:
    if value is None:
        return None
    return ";".join(part.strip().lower() for part in value.split(";"))


def substitute(value: Any, substitutions: Sequence[Substitution]) -> Any:
    """Return a copy of a JSON-like value with each (old, new) text replaced in its strings."""
    if not substitutions:
        return value
    if isinstance(value, str):
        for old, new in substitutions:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: substitute(item, substitutions) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, substitutions) for item in value]
    return value


def _lowercase(headers: Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _problem_type(status: int, body: Any) -> int | str | None:
    if status < 400 or not isinstance(body, dict) or "type" not in body:
        return None
    number = problem_number(body["type"])
    if number is not None:
        return number
    return str(body["type"])
