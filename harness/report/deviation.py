"""One difference between a response and what the contract or a scenario expects.

Paths use DeepDiff's notation for body values (`root['metadata']['createdBy']`,
`root['arguments'][0]`), `header <Name>` for headers and `status` for the status code, so
a tester can paste a body path into Python to reach the value.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Iterable

from harness.scenario.matchers import Matcher

CONTRACT = "contract"
EXPECTATION = "expectation"
SOURCES = (CONTRACT, EXPECTATION)

STATUS_PATH = "status"
ROOT_PATH = "root"


@dataclass(frozen=True)
class Deviation:
    """A difference at one path, with a stable `kind` code and a sentence to act on.

    `kind` is a short code such as `missing-key`, `wrong-type`, `enum` or `status`.
    `source` is "contract" (the documented shape) or "expectation" (the scenario).
    """

    path: str
    kind: str
    source: str
    expected: Any
    actual: Any
    message: str

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"deviation source must be one of {SOURCES}, got {self.source!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "source": self.source,
            "expected": json_safe(self.expected),
            "actual": json_safe(self.actual),
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deviation:
        """Rebuild a deviation from `to_dict()` output. Matchers come back as their text."""
        return cls(
            data["path"], data["kind"], data["source"],
            data.get("expected"), data.get("actual"), data["message"],
        )


def json_path(parts: Iterable[str | int]) -> str:
    """Return the DeepDiff path of a JSON value from its keys and indexes, `root[...][...]`."""
    path = ROOT_PATH
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f"[{part!r}]"
    return path


def header_path(name: str) -> str:
    return f"header {name}"


def json_type(value: Any) -> str:
    """Return the JSON type name of a parsed JSON value: integer, number, string, and so on."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def describe_value(value: Any, max_chars: int = 80) -> str:
    """Return a phrase naming a JSON value and its type, such as `the integer 404`."""
    if isinstance(value, Matcher):
        return value.describe()
    kind = json_type(value)
    if value is None:
        return "null"
    if isinstance(value, dict):
        return f"an object with {len(value)} keys"
    if isinstance(value, (list, tuple)):
        return f"an array of {len(value)} items"
    return f"the {kind} {short_json(value, max_chars)}"


def short_json(value: Any, max_chars: int = 80) -> str:
    """Return `value` as compact JSON, cut to `max_chars` with an ellipsis."""
    text = json.dumps(json_safe(value), ensure_ascii=False, separators=(",", ":"))
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1] + "…"


def json_safe(value: Any) -> Any:
    """Return `value` with matchers replaced by their description and other objects by repr.

    Floats that JSON cannot carry (NaN, infinities) become strings.
    """
    if isinstance(value, Matcher):
        return f"<{value.describe()}>"
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return repr(value)
