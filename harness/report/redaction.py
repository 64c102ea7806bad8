"""Removal of credentials from report documents before they are written.

Results never carry request headers, but a deviating server may echo a token into a body
that then appears in a deviation. `redact` replaces every value under a key that names a
credential, every `Bearer <token>` text and every secret the caller names.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

REDACTED = "<redacted>"

_SECRET_KEY = re.compile(r"authorization|token|password|secret|api[-_]?key|cookie", re.IGNORECASE)

# A credential after the scheme name as clients send it. The minimum length keeps prose such
# as "Bearer token is missing" intact.
# NOTE: 16 characters is a guess at the shortest real token. A shorter token is redacted
# only when the caller names it in `secrets`.
_BEARER = re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{16,}")


def redact(value: Any, secrets: Iterable[str] = ()) -> Any:
    """Return a copy of a JSON value with credential keys, Bearer tokens and `secrets` replaced."""
    ordered = sorted((secret for secret in secrets if secret), key=len, reverse=True)
    return _redact(value, ordered)


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return `text` with Bearer tokens and each of `secrets` replaced by "<redacted>"."""
    return _redact_text(text, sorted((secret for secret in secrets if secret), key=len, reverse=True))


def _redact(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, dict):
        return {
            key: REDACTED if _SECRET_KEY.search(str(key)) and value[key] is not None
            else _redact(value[key], secrets)
            for key in value
        }
    if isinstance(value, list):
        return [_redact(item, secrets) for item in value]
    if isinstance(value, str):
        return _redact_text(value, secrets)
    return value


def _redact_text(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return _BEARER.sub(f"Bearer {REDACTED}", text)
