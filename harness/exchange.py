"""Plain HTTP request and response values shared by the recorder, the runner and the report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class Headers(dict):
    """Header names to values; lookups ignore case, the stored names keep theirs."""

    def get_ci(self, name: str, default: str | None = None) -> str | None:
        lowered = name.lower()
        for key, value in self.items():
            if key.lower() == lowered:
                return value
        return default

    def has(self, name: str) -> bool:
        return self.get_ci(name) is not None


@dataclass
class HttpRequest:
    method: str
    url: str
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""


@dataclass
class HttpResponse:
    status: int
    headers: Headers = field(default_factory=Headers)
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        return self.headers.get_ci("Content-Type")

    def json(self) -> Any:
        """Return the body parsed as JSON, raising ValueError with the first bytes if it is not."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            preview = self.body[:80]
            raise ValueError(f"response body is not JSON ({error}): {preview!r}") from None


@dataclass
class Exchange:
    """One request and the response it got, and whether the response came from a cassette."""

    request: HttpRequest
    response: HttpResponse
    replayed: bool = False
