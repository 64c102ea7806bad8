"""Read cassettes for reports and diffs, and scan them for tokens that scrubbing left behind."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from harness.exchange import Exchange
from harness.recording.cassette_file import find_cassette_files, header_value, load_cassette_file
from harness.recording.errors import CassetteError
from harness.recording.scrub import AUTH_SCHEMES, CREDENTIAL_HEADERS, PLACEHOLDER, ScrubConfig, is_placeholder
from harness.recording.stored import decode_content, to_http_request, to_http_response

BEARER_TOKEN = re.compile(r"Bearer\s+([A-Za-z0-9\-._~+/]{16,}=*)", re.IGNORECASE)
# Three base64url parts, the first two starting with the encoding of '{"'.
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_CREDENTIAL_VALUE = re.compile(r"\S+ " + PLACEHOLDER.pattern)


def read_interactions(path: Path) -> list[Exchange]:
    """Return the cassette's interactions in file order, marked replayed, as a replay returns
    their responses (gzip and deflate bodies decoded). Raises CassetteCorruptError, or
    CassetteError when the file is missing."""
    path = Path(path)
    try:
        interactions = load_cassette_file(path)
    except FileNotFoundError:
        raise CassetteError(f"cassette {path} does not exist: check the path", path) from None
    return [
        Exchange(to_http_request(request), to_http_response(decode_content(response)), replayed=True)
        for request, response in interactions
    ]


@dataclass(frozen=True)
class Finding:
    """A token-like value left in a cassette. `excerpt` shows only its start and length."""

    path: Path
    interaction: int | None
    location: str
    reason: str
    excerpt: str

    def __str__(self) -> str:
        where = f"interaction {self.interaction}, " if self.interaction is not None else ""
        return f"{self.path}: {where}{self.location}: {self.reason} ({self.excerpt})"


def mask(value: str) -> str:
    """Show the first 4 characters of a secret and its length, never the whole value."""
    return f"{value[:4]}... ({len(value)} characters)"


def scan_cassettes(
    paths: Sequence[Path], *, config: ScrubConfig | None = None, secrets: Iterable[str] = ()
) -> list[Finding]:
    """Return every token-like value in the cassettes under `paths` (files or folders).

    Reported are scrubbed headers whose value is not a placeholder, and `Bearer` followed
    by 16 or more token characters. So are JWT-like strings, non-placeholder values of the
    scrubbed query parameters and JSON or form fields, any of `secrets`, and files that
    cannot be read.
    """
    config = config or ScrubConfig()
    known = [secret for secret in secrets if secret]
    findings: list[Finding] = []
    for path in find_cassette_files([Path(p) for p in paths]):
        try:
            interactions = load_cassette_file(path)
        except (OSError, CassetteError) as error:
            findings.append(Finding(path, None, "file", "cannot be scanned", str(error).splitlines()[0]))
            continue
        for index, (request, response) in enumerate(interactions):
            for location, reason, value in _interaction_findings(request, response, config, known):
                findings.append(Finding(path, index, location, reason, mask(value)))
    return findings


def _interaction_findings(
    request: dict[str, Any], response: dict[str, Any], config: ScrubConfig, known: list[str]
) -> Iterator[tuple[str, str, str]]:
    yield from _query_findings(request["uri"], config)
    for side, stored in (("request", request), ("response", response)):
        yield from _header_findings(side, stored["headers"], config)
        body = stored["body"] if side == "request" else stored["body"]["string"]
        text = (body or b"").decode("utf-8", "replace")
        content_type = header_value(stored["headers"], "Content-Type")
        yield from _field_findings(f"{side}.body", text, content_type, config)
        texts = {f"{side}.body": text}
        # The scrubbed headers were checked above, whatever their value looks like.
        texts.update(
            {f"{side}.headers.{name}": ", ".join(values) for name, values in stored["headers"].items()
             if name.lower() not in config.headers}
        )
        if side == "request":
            texts["request.uri"] = request["uri"]
        for location, value in texts.items():
            yield from _pattern_findings(location, value, known)


def _header_findings(side: str, headers: dict[str, list[str]], config: ScrubConfig) -> Iterator[tuple[str, str, str]]:
    for name, values in headers.items():
        lowered = name.lower()
        if lowered not in config.headers:
            continue
        for value in values:
            stripped = value.strip()
            safe = not stripped or is_placeholder(stripped)
            if lowered in CREDENTIAL_HEADERS:
                safe = safe or _CREDENTIAL_VALUE.fullmatch(stripped) or stripped.lower() in AUTH_SCHEMES
            if not safe:
                yield f"{side}.headers.{name}", "header value is not a placeholder", stripped


def _query_findings(uri: str, config: ScrubConfig) -> Iterator[tuple[str, str, str]]:
    for name, value in parse_qsl(urlsplit(uri).query, keep_blank_values=True):
        if name.lower() in config.query_parameters and value and not is_placeholder(value):
            yield f"request.uri query {name}", "query parameter value is not a placeholder", value


def _field_findings(location: str, text: str, content_type: str | None, config: ScrubConfig) -> Iterator[tuple[str, str, str]]:
    """Scan JSON bodies whatever their Content-Type claims, and form bodies by their pairs."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
        if content_type and "x-www-form-urlencoded" in content_type.lower():
            for name, value in parse_qsl(text, keep_blank_values=True):
                if name.lower() in config.query_parameters and value and not is_placeholder(value):
                    yield f"{location} field {name}", "form field value is not a placeholder", value
    yield from _json_findings(location, document, config)


def _json_findings(location: str, value: Any, config: ScrubConfig) -> Iterator[tuple[str, str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{location}.{key}"
            if key.lower() in config.body_fields and _is_secret_like(item):
                yield inner, "JSON field value is not a placeholder", str(item)
            else:
                yield from _json_findings(inner, item, config)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _json_findings(f"{location}[{position}]", item, config)


def _is_secret_like(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        return value != "" and not is_placeholder(value)
    return isinstance(value, (int, float))


def _pattern_findings(location: str, text: str, known: list[str]) -> Iterator[tuple[str, str, str]]:
    for match in BEARER_TOKEN.finditer(text):
        yield location, "bearer token", match.group(1)
    for match in JWT.finditer(text):
        yield location, "JWT-like string", match.group(0)
    for secret in known:
        if secret in text:
            yield location, "listed secret", secret
