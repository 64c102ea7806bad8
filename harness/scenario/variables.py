"""`${name}` references in scenario strings, and turning a `RequestSpec` into an `HttpRequest`.

A reference is `${name}`, where a name is dotted identifiers such as `account_id` or
`tokens.owner`. `$${` is a literal `${`. References are replaced in string values only:
mapping keys, header names and query parameter names are taken literally.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from harness.exchange import Headers, HttpRequest
from harness.scenario.matchers import Matcher
from harness.scenario.model import NOT_GIVEN, RequestSpec

VARIABLE_NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"

_VARIABLE_NAME = re.compile(VARIABLE_NAME_PATTERN)
_TOKEN = re.compile(r"\$\$\{|\$\{(?P<inner>[^}]*)\}|\$\{")

# Characters left as they are when a variable's value is put into the URL path: RFC 3986
# unreserved and sub-delimiter characters, ":" and "@". Everything else, "/" included, is
# percent-encoded, so one variable always fills one path segment.
_PATH_SAFE = "-._~!$&'()*+,;=:@"


class VariableSyntaxError(ValueError):
    """A string has a `${` that does not start a valid reference."""


class MissingVariableError(LookupError):
    """A request or expected value refers to variables that have no value.

    `missing` maps each missing name to the places that use it, such as `path` or
    `headers.Authorization`.
    """

    def __init__(self, missing: Mapping[str, list[str]]):
        self.missing = {name: list(places) for name, places in sorted(missing.items())}
        listed = "; ".join(
            f"{name} (used in {', '.join(places)})" for name, places in self.missing.items()
        )
        super().__init__(
            f"missing variables: {listed}. Define them in the target profile's `variables`"
            " (tokens through `token_env`), or use a server that defines them"
        )

    @property
    def names(self) -> set[str]:
        return set(self.missing)


def _scan(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("text", literal) and ("name", variable) parts of `text` in order."""
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            yield "text", text[position:match.start()]
        position = match.end()
        token = match.group(0)
        if token == "$${":
            yield "text", "${"
            continue
        inner = match.group("inner")
        if inner is None:
            raise VariableSyntaxError(
                f"`${{` at offset {match.start()} has no closing `}}`. Write `${{name}}`,"
                " or `$${` for a literal `${`"
            )
        if _VARIABLE_NAME.fullmatch(inner) is None:
            raise VariableSyntaxError(
                f"`${{{inner}}}` is not a valid variable reference. A name is letters, digits"
                " and `_` in dot-separated parts, as in `${account_id}` or `${tokens.owner}`"
            )
        yield "name", inner
    if position < len(text):
        yield "text", text[position:]


def template_error(text: str) -> str | None:
    """Return why `text` has an invalid variable reference, or None if it has none."""
    try:
        for _ in _scan(text):
            pass
    except VariableSyntaxError as error:
        return str(error)
    return None


def names_in(text: str) -> list[str]:
    """Return the variable names `text` refers to, in order of use."""
    return [part for kind, part in _scan(text) if kind == "name"]


def substitute(
    text: str, variables: Mapping[str, str], encode: Callable[[str], str] | None = None
) -> str:
    """Replace every reference in `text`, passing each inserted value through `encode` if given."""
    pieces = []
    for kind, part in _scan(text):
        if kind == "text":
            pieces.append(part)
        else:
            value = variables[part]
            pieces.append(encode(value) if encode else value)
    return "".join(pieces)


def _strings_of(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Yield (place, string) for every string value inside a JSON-like value."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings_of(item, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings_of(item, f"{where}[{index}]")


def _spec_strings(spec: RequestSpec) -> Iterator[tuple[str, str]]:
    yield "path", spec.path
    for name, value in spec.query:
        yield f"query.{name}", value
    for name, value in spec.headers.items():
        yield f"headers.{name}", value
    if spec.body is not NOT_GIVEN:
        yield from _strings_of(spec.body, "body")
    if spec.raw_body is not None:
        yield "raw_body", spec.raw_body


def _usage(strings: Iterator[tuple[str, str]]) -> dict[str, list[str]]:
    usage: dict[str, list[str]] = {}
    for place, text in strings:
        for name in names_in(text):
            places = usage.setdefault(name, [])
            if place not in places:
                places.append(place)
    return usage


def referenced_variables(spec: RequestSpec) -> set[str]:
    """Return the names of all variables a request refers to."""
    return set(_usage(_spec_strings(spec)))


def referenced_in_value(value: Any) -> set[str]:
    """Return the names of all variables an expected value (header or body) refers to."""
    return set(_usage(_strings_of(value, "value")))


def _raise_if_missing(usage: dict[str, list[str]], variables: Mapping[str, str]) -> None:
    missing = {name: places for name, places in usage.items() if name not in variables}
    if missing:
        raise MissingVariableError(missing)


def _encode_path_value(value: str) -> str:
    return quote(value, safe=_PATH_SAFE)


def _request_body(spec: RequestSpec, variables: Mapping[str, str]) -> bytes:
    if spec.raw_body_base64 is not None:
        return base64.b64decode(spec.raw_body_base64, validate=True)
    if spec.raw_body is not None:
        return substitute(spec.raw_body, variables).encode("utf-8")
    if spec.body is NOT_GIVEN:
        return b""
    body = resolve_value(spec.body, variables, where="body")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def resolve_request(
    spec: RequestSpec, variables: Mapping[str, str], base_url: str
) -> HttpRequest:
    """Build the request to send, raising MissingVariableError before anything is resolved.

    The URL is `base_url` without its trailing slash, then the path (each variable's value
    percent-encoded as one path segment), then the query encoded with `%20` for spaces.
    """
    _raise_if_missing(_usage(_spec_strings(spec)), variables)
    url = base_url.rstrip("/") + substitute(spec.path, variables, encode=_encode_path_value)
    pairs = [(name, substitute(value, variables)) for name, value in spec.query]
    if pairs:
        url += "?" + urlencode(pairs, quote_via=quote)
    headers = Headers(
        (name, substitute(value, variables)) for name, value in spec.headers.items()
    )
    return HttpRequest(spec.method, url, headers, _request_body(spec, variables))


def _resolve(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return substitute(value, variables)
    if isinstance(value, Matcher):
        return value
    if isinstance(value, Mapping):
        return {key: _resolve(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, variables) for item in value]
    return value


def resolve_value(value: Any, variables: Mapping[str, str], *, where: str = "value") -> Any:
    """Return a copy of `value` with references in its strings replaced; matchers stay as they are.

    Raises MissingVariableError naming each missing variable and where (`where` is the
    prefix of those places, such as `expect.body`).
    """
    _raise_if_missing(_usage(_strings_of(value, where)), variables)
    return _resolve(value, variables)
