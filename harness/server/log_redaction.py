"""Removal of bearer tokens from text that the server logs."""

from __future__ import annotations

from collections.abc import Collection, Iterable

REDACTED = "[token]"
# Parts of an Authorization header shorter than this are not treated as tokens, so that a
# header such as "Bearer x" cannot blank out every "x" of a log line.
MIN_TOKEN_LENGTH = 8


def redact_tokens(
    text: str, secrets: Collection[str], headers: Iterable[tuple[bytes, bytes]]
) -> str:
    """Return `text` with [token] in place of each of `secrets` and of each part, of at
    least MIN_TOKEN_LENGTH characters, of the request's Authorization headers."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    for name, value in headers:
        if name != b"authorization":
            continue
        for part in value.decode("latin-1").split():
            if len(part) >= MIN_TOKEN_LENGTH and part in text:
                text = text.replace(part, REDACTED)
    return text
