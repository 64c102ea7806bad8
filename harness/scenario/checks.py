"""Shape checks for values read from a scenario file, collecting one error per problem found.

Every check records a `ScenarioError` that names the file, the key path, the bad value and
the fix, and returns None (or a safe empty value) so validation can go on and report more.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from harness.scenario.matchers import Matcher
from harness.scenario.model import ScenarioError
from harness.scenario.variables import template_error
from harness.scenario.yaml_source import InvalidTag, child_path

# Limits on a JSON value in a scenario, which stop recursive or exponentially large anchor
# structures from exhausting memory or the stack.
MAX_JSON_DEPTH = 64
MAX_JSON_VALUES = 100_000

_PREVIEW_LENGTH = 80


def show(value: Any) -> str:
    """Return a short printable form of a bad value for an error message."""
    text = repr(value)
    if len(text) > _PREVIEW_LENGTH:
        text = text[:_PREVIEW_LENGTH - 3] + "..."
    return text


def type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
             int: "an integer", float: "a number", type(None): "null"}
    if isinstance(value, Matcher):
        return f"the matcher {value.tag}"
    return names.get(type(value), type(value).__name__)


def describe(value: Any) -> str:
    """Return the type and a short form of a bad value, such as `a string '404'`."""
    if value is None:
        return "null"
    if isinstance(value, Matcher):
        return type_name(value)
    return f"{type_name(value)} {show(value)}"


class Checker:
    """Error collector for one scenario file. `line_of` maps a key path to its line."""

    def __init__(self, source: Path, line_of: Callable[[str], int | None]):
        self.source = source
        self.line_of = line_of
        self.errors: list[ScenarioError] = []

    def error(self, key_path: str, message: str, fix: str) -> None:
        line = self.line_of(key_path)
        if line is not None and "(line " not in message:
            message = f"{message} (line {line})"
        self.errors.append(ScenarioError(self.source, key_path, message, fix))

    def mapping(
        self, value: Any, key_path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        """Check that `value` is a mapping with only `allowed` keys and all `required` ones."""
        if not isinstance(value, dict):
            self.error(key_path, f"{key_path or 'the file'} must be a mapping, got "
                       f"{describe(value)}",
                       f"write a mapping with the keys {', '.join(allowed)}")
            return None
        for key in value:
            if key not in allowed:
                self.unknown_key(key, key_path, allowed)
        for key in required:
            if key not in value:
                self.error(child_path(key_path, key), f"missing required key {key!r}",
                           f"add `{key}:` under {key_path or 'the top level'}")
        return value

    def unknown_key(self, key: Any, key_path: str, allowed: Sequence[str]) -> None:
        close = difflib.get_close_matches(str(key), list(allowed), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        self.error(child_path(key_path, key), f"unknown key {show(key)}",
                   f"{hint}allowed keys here are {', '.join(allowed)}")

    def string(self, value: Any, key_path: str, example: str) -> str | None:
        if isinstance(value, InvalidTag):
            self.error(key_path, value.message, value.fix)
            return None
        if not isinstance(value, str):
            self.error(key_path, f"expected a string, got {describe(value)}",
                       f"write a string, as in {example}")
            return None
        return value

    def template(self, value: str, key_path: str) -> str | None:
        """Check the `${variable}` references of a string."""
        problem = template_error(value)
        if problem is not None:
            self.error(key_path, f"invalid variable reference in {show(value)}: {problem}",
                       "write `${name}` for a variable and `$${` for a literal `${`")
            return None
        return value

    def string_list(self, value: Any, key_path: str, example: str) -> list[str] | None:
        """Check a list of strings; integers and numbers are taken as their text."""
        if not isinstance(value, list):
            self.error(key_path, f"expected a list, got {describe(value)}",
                       f"write a list, as in {example}")
            return None
        items = []
        for position, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            checked = self.string(item, child_path(key_path, position), example)
            if checked is None:
                return None
            items.append(checked)
        return items

    def json_value(self, value: Any, key_path: str, allow_matchers: bool) -> bool:
        """Check that `value` is JSON data (with matchers where allowed); True if it is."""
        walker = _JsonWalker(self, allow_matchers)
        walker.walk(value, key_path, 0)
        return walker.valid


class _JsonWalker:
    """Checker of one JSON-like value that reports each invalid part it visits."""

    def __init__(self, checker: Checker, allow_matchers: bool):
        self.checker = checker
        self.allow_matchers = allow_matchers
        self.visited = 0
        self.valid = True

    def fail(self, key_path: str, message: str, fix: str) -> None:
        self.valid = False
        self.checker.error(key_path, message, fix)

    def walk(self, value: Any, key_path: str, depth: int) -> None:
        self.visited += 1
        if self.visited > MAX_JSON_VALUES or depth > MAX_JSON_DEPTH:
            if self.valid:
                self.fail(key_path, f"value is deeper than {MAX_JSON_DEPTH} levels or has more "
                          f"than {MAX_JSON_VALUES} parts (recursive or repeated anchors?)",
                          "write the value out, or send it with raw_body")
            return
        if isinstance(value, dict):
            self.walk_mapping(value, key_path, depth)
        elif isinstance(value, list):
            for position, item in enumerate(value):
                self.walk(item, child_path(key_path, position), depth + 1)
        else:
            self.check_leaf(value, key_path)

    def walk_mapping(self, value: dict, key_path: str, depth: int) -> None:
        for key, item in value.items():
            if not isinstance(key, str):
                self.fail(child_path(key_path, key), f"JSON object keys must be strings, got "
                          f"{describe(key)}", f"quote the key: '{key}'")
                continue
            self.walk(item, child_path(key_path, key), depth + 1)

    def check_leaf(self, value: Any, key_path: str) -> None:
        if isinstance(value, InvalidTag):
            self.fail(key_path, value.message, value.fix)
        elif isinstance(value, Matcher):
            if not self.allow_matchers:
                self.fail(key_path, f"matcher {value.tag} in a request",
                          "matchers belong under `expect`; write a literal value here")
        elif isinstance(value, str):
            if self.checker.template(value, key_path) is None:
                self.valid = False
        elif isinstance(value, float) and not math.isfinite(value):
            self.fail(key_path, f"{show(value)} is not a JSON number",
                      "use a finite number, or raw_body for a deliberately invalid body")
        elif not isinstance(value, (bool, int, float, type(None))):
            self.fail(key_path, f"{describe(value)} is not a JSON value",
                      "use a string, number, boolean, null, list or mapping")
