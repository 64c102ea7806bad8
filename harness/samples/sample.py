"""One generated create request and the response the contract requires for it."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.contract.problems import PROBLEMS, ProblemType


def encode_json(value: Any) -> bytes:
    """Return the bytes a sample sends for a JSON body: compact UTF-8, non-ASCII unescaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Sample:
    """A create request that keeps every documented rule, or breaks exactly one.

    `body` is the JSON value to send, or for rules that break the body's syntax the raw
    text (`str`, sent as UTF-8) or raw bytes. `headers` contains the request headers the
    sample fixes, Content-Type included. A header whose value is None is not sent. `token` is
    the name of the variable whose bearer token the request sends (such as "tokens.owner"),
    or None when the Authorization header is absent or given in `headers`. `setup` lists
    create bodies to send first, on the same path and with the same token, whose responses
    are not checked.
    """

    index: int
    version: str
    locale: str
    rule: str | None
    expected_status: int
    expected_problem: int | None
    body: Any
    path: str
    headers: Mapping[str, str | None]
    token: str | None = "tokens.owner"
    query: tuple[tuple[str, str], ...] = ()
    setup: tuple[dict[str, Any], ...] = ()
    method: str = "POST"

    @property
    def is_valid(self) -> bool:
        return self.rule is None

    @property
    def problem(self) -> ProblemType | None:
        """The documented problem type the response must carry, None for a 201."""
        return PROBLEMS[self.expected_problem] if self.expected_problem is not None else None

    @property
    def is_raw(self) -> bool:
        """Whether the body is sent as given (text or bytes) instead of serialised as JSON."""
        return isinstance(self.body, (str, bytes))

    def encoded_body(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return encode_json(self.body)

    def request_headers(self, variables: Mapping[str, str]) -> dict[str, str]:
        """Return the headers to send, with the bearer token looked up in `variables`.

        Raises KeyError naming the token variable if `variables` lacks it.
        """
        headers = {name: value for name, value in self.headers.items() if value is not None}
        if self.token is not None:
            if self.token not in variables:
                raise KeyError(f"variables have no {self.token!r}: add the bearer token under that name")
            headers["Authorization"] = f"Bearer {variables[self.token]}"
        return headers

    def to_record(self) -> dict[str, Any]:
        """Return the sample as a JSON object, the form of one JSON Lines output line."""
        record: dict[str, Any] = {
            "index": self.index,
            "rule": self.rule,
            "expected_status": self.expected_status,
            "expected_problem": self.expected_problem,
            "version": self.version,
            "locale": self.locale,
            "method": self.method,
            "path": self.path,
            "query": [list(pair) for pair in self.query],
            "token": self.token,
            "headers": dict(self.headers),
        }
        if self.setup:
            record["setup"] = list(self.setup)
        if isinstance(self.body, bytes):
            record["raw_body_base64"] = base64.b64encode(self.body).decode("ascii")
        elif isinstance(self.body, str):
            record["raw_body"] = self.body
        else:
            record["body"] = self.body
        return record


@dataclass
class Draft:
    """A sample while it is built: a valid request first, then one rule's change to it."""

    index: int
    version: str
    locale: str
    action: str
    app_variable: str
    body: Any
    variables: Mapping[str, str]
    operation: str = "core"
    account_variable: str = "account_id"
    path_app_variable: str | None = None
    token: str | None = "tokens.owner"
    headers: dict[str, str | None] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    setup: list[dict[str, Any]] = field(default_factory=list)
