"""Scrubbing: replace tokens and other secrets with placeholders before a cassette stores them.

A secret value listed in `secrets` becomes `<name>` (for example `<tokens.owner>`). Any other
value in a scrubbed header, query parameter or JSON body field becomes `<redacted>`. A value
that already is a placeholder is kept, so scrubbing a scrubbed request changes nothing.
This matters because the recorder scrubs requests before it stores them, and the replayer
scrubs both the incoming request and the recorded ones before it compares them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote_plus

from harness.exchange import Headers, HttpRequest
from harness.recording.media import is_form_media_type, is_json_media_type

REDACTED = "<redacted>"
PLACEHOLDER = re.compile(r"<[A-Za-z0-9_.\-]+>")
PLACEHOLDER_NAME = re.compile(r"[A-Za-z0-9_.\-]+")

# Headers whose value is "<scheme> <credentials>": the scheme is kept, the credentials are
# replaced. They are scrubbed whatever ScrubConfig.headers lists.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
# Scheme names kept when a credential header has a scheme and no credentials, such as a
# malformed `Authorization: Bearer` that a scenario sends on purpose.
AUTH_SCHEMES = frozenset({"basic", "bearer", "digest", "negotiate", "ntlm", "token"})
DEFAULT_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}
)
DEFAULT_FIELDS = frozenset(
    {
        "token", "access_token", "refresh_token", "id_token", "api_key", "apikey",
        "password", "client_secret", "secret",
    }
)
# Secrets shorter than this are replaced only where they are a whole credential (an
# Authorization value), because replacing a short string everywhere would also rewrite
# ordinary text that happens to contain it.
MIN_SUBSTRING_SECRET_LENGTH = 8


def is_placeholder(value: str) -> bool:
    return PLACEHOLDER.fullmatch(value) is not None


def _names(values: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise ValueError(f"invalid ScrubConfig.{what} {values!r}: give a collection of names")
    names = set()
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"invalid ScrubConfig.{what} entry {value!r}: use a non-empty name")
        names.add(value.strip().lower())
    return frozenset(names)


@dataclass(frozen=True)
class ScrubConfig:
    """Names whose values a cassette never stores. All names compare case-insensitively.

    `headers`: request and response headers (Authorization and Proxy-Authorization are
    scrubbed even when not listed). `query_parameters`: URL query parameters and form body
    fields. `body_fields`: keys of JSON bodies at any depth, in requests and responses.
    """

    headers: frozenset[str] = field(default=DEFAULT_HEADERS)
    query_parameters: frozenset[str] = field(default=DEFAULT_FIELDS)
    body_fields: frozenset[str] = field(default=DEFAULT_FIELDS)

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", _names(self.headers, "headers") | CREDENTIAL_HEADERS)
        object.__setattr__(self, "query_parameters", _names(self.query_parameters, "query_parameters"))
        object.__setattr__(self, "body_fields", _names(self.body_fields, "body_fields"))


_DEFAULT_CONFIG = ScrubConfig()


class Scrubber:
    """Replaces secrets in URIs, header values and bodies, following a ScrubConfig."""

    def __init__(self, secrets: Mapping[str, str], config: ScrubConfig | None = None) -> None:
        self.config = config or _DEFAULT_CONFIG
        # Lowercase field names as bytes: a JSON body that contains none of them is not parsed.
        self._field_bytes = tuple(name.encode("utf-8") for name in self.config.body_fields)
        self._credentials: dict[str, str] = {}
        for value, name in secrets.items():
            if not isinstance(value, str) or not value:
                raise ValueError(f"invalid secret for placeholder {name!r}: use a non-empty string")
            if not isinstance(name, str) or PLACEHOLDER_NAME.fullmatch(name) is None:
                raise ValueError(
                    f"invalid placeholder name {name!r}: use letters, digits, '.', '_' and '-'"
                )
            self._credentials[value] = f"<{name}>"
        # Longest first, so that a secret containing another is replaced whole.
        self._substrings = sorted(
            ((value, placeholder) for value, placeholder in self._credentials.items()
             if len(value) >= MIN_SUBSTRING_SECRET_LENGTH),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        self.fingerprint = (self.config, tuple(sorted(self._credentials.items())))

    def text(self, value: str) -> str:
        """Replace every listed secret of at least 8 characters in `value`."""
        for secret, placeholder in self._substrings:
            if secret in value:
                value = value.replace(secret, placeholder)
        return value

    def _bytes(self, value: bytes) -> bytes:
        for secret, placeholder in self._substrings:
            encoded = secret.encode("utf-8")
            if encoded in value:
                value = value.replace(encoded, placeholder.encode("utf-8"))
        return value

    def _placeholder_for(self, value: str) -> str:
        if is_placeholder(value):
            return value
        return self._credentials.get(value, REDACTED)

    def header_value(self, name: str, value: str) -> str:
        """Return the scrubbed value of header `name`."""
        value = self.text(value)
        lowered = name.lower()
        stripped = value.strip()
        if lowered not in self.config.headers or not stripped:
            return value
        if lowered not in CREDENTIAL_HEADERS:
            return self._placeholder_for(stripped)
        scheme, _, credentials = stripped.partition(" ")
        credentials = credentials.strip()
        if credentials:
            return f"{scheme} {self._placeholder_for(credentials)}"
        if scheme.lower() in AUTH_SCHEMES:
            return scheme
        return self._placeholder_for(scheme)

    def header_lists(self, headers: Mapping[str, Any]) -> dict[str, list[str]]:
        """Scrub headers stored as vcrpy does, each name mapped to a list of values."""
        scrubbed: dict[str, list[str]] = {}
        for name, values in headers.items():
            if isinstance(values, (list, tuple)):
                scrubbed[name] = [self.header_value(name, str(value)) for value in values]
            else:
                scrubbed[name] = [self.header_value(name, str(values))]
        return scrubbed

    def uri(self, uri: str) -> str:
        """Scrub secrets anywhere in `uri` and the values of the configured query parameters."""
        uri = self.text(uri)
        base, question, rest = uri.partition("?")
        if not question:
            return uri
        query, hash_mark, fragment = rest.partition("#")
        return base + "?" + self._pairs(query, self.config.query_parameters) + hash_mark + fragment

    def _pairs(self, encoded: str, names: frozenset[str]) -> str:
        """Scrub `name=value` pairs of a query string or form body, keeping the others as sent."""
        pairs = []
        for pair in encoded.split("&"):
            name, equals, value = pair.partition("=")
            if equals and unquote_plus(name).lower() in names:
                placeholder = self._placeholder_for(unquote_plus(value))
                pair = f"{name}={quote(placeholder, safe='')}"
            pairs.append(pair)
        return "&".join(pairs)

    def body(self, body: bytes | None, content_type: str | None) -> bytes | None:
        """Scrub listed secrets anywhere in `body`, then the configured JSON or form fields."""
        if not body:
            return body
        body = self._bytes(body)
        if is_json_media_type(content_type):
            return self._json_body(body)
        if is_form_media_type(content_type):
            try:
                text = body.decode("ascii")
            except UnicodeDecodeError:
                return body
            return self._pairs(text, self.config.query_parameters).encode("ascii")
        return body

    def _json_body(self, body: bytes) -> bytes:
        lowered = body.lower()
        if not any(name in lowered for name in self._field_bytes):
            # NOTE: a key spelled with \u escapes ("pass\u0077ord") is missed by this check.
            return body
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            # Invalid JSON is stored as sent: a scenario may send it on purpose.
            return body
        scrubbed, changed = self._json_value(document)
        if not changed:
            return body
        return json.dumps(scrubbed, ensure_ascii=False).encode("utf-8")

    def _json_value(self, value: Any) -> tuple[Any, bool]:
        if isinstance(value, dict):
            changed = False
            result = {}
            for key, item in value.items():
                if key.lower() in self.config.body_fields and _is_secret_value(item):
                    new_item = self._placeholder_for(str(item))
                    item_changed = new_item != item
                else:
                    new_item, item_changed = self._json_value(item)
                changed = changed or item_changed
                result[key] = new_item
            return result, changed
        if isinstance(value, list):
            items = [self._json_value(item) for item in value]
            return [item for item, _ in items], any(item_changed for _, item_changed in items)
        return value, False

    def request(self, request: HttpRequest) -> HttpRequest:
        """Return a scrubbed copy of `request`."""
        headers = Headers({name: self.header_value(name, value) for name, value in request.headers.items()})
        body = self.body(request.body, request.headers.get_ci("Content-Type")) or b""
        return HttpRequest(request.method, self.uri(request.url), headers, body)


def _is_secret_value(value: Any) -> bool:
    """Tell whether a JSON field value can hold a secret: a non-empty string or a number."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        return value != ""
    return isinstance(value, (int, float))
