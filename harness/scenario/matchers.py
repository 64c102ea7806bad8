"""Matchers for expected values a server chooses, written as YAML tags in scenario files.

    id: !any_uuid                 any documented identifier (lowercase UUID v4, v5 or nil)
    creationTimestamp: !any_timestamp
    description: !any_string
    name: !regex '^payroll-[0-9]+$'   Python `re.fullmatch`
    matchingContainers: !absent   the key must not be present
    correlationID: !optional any_uuid   absent, or present and matching the named matcher
    anything: !any                present, any value
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from harness.contract.facts import TIMESTAMP_PATTERN, UUID_PATTERN

_UUID = re.compile(UUID_PATTERN)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


class Matcher:
    """An expected value that accepts a set of actual values instead of one literal."""

    tag = ""

    def matches(self, value: Any) -> bool:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def to_yaml_scalar(self) -> str:
        return ""

    def __repr__(self) -> str:
        return self.describe()


@dataclass(frozen=True, repr=False)
class AnyValue(Matcher):
    tag = "!any"

    def matches(self, value: Any) -> bool:
        return True

    def describe(self) -> str:
        return "any value"


@dataclass(frozen=True, repr=False)
class AnyUuid(Matcher):
    tag = "!any_uuid"

    def matches(self, value: Any) -> bool:
        return isinstance(value, str) and _UUID.match(value) is not None

    def describe(self) -> str:
        return "any lowercase UUID (version 4, version 5 or nil)"


@dataclass(frozen=True, repr=False)
class AnyTimestamp(Matcher):
    tag = "!any_timestamp"

    def matches(self, value: Any) -> bool:
        return isinstance(value, str) and _TIMESTAMP.match(value) is not None

    def describe(self) -> str:
        return "any UTC timestamp YYYY-MM-DDTHH:MM:SS[.fraction]Z"


@dataclass(frozen=True, repr=False)
class AnyString(Matcher):
    tag = "!any_string"

    def matches(self, value: Any) -> bool:
        return isinstance(value, str)

    def describe(self) -> str:
        return "any string"


@dataclass(frozen=True, repr=False)
class Regex(Matcher):
    pattern: str
    tag = "!regex"

    def matches(self, value: Any) -> bool:
        return isinstance(value, str) and re.fullmatch(self.pattern, value) is not None

    def describe(self) -> str:
        return f"a string matching /{self.pattern}/"

    def to_yaml_scalar(self) -> str:
        return self.pattern


@dataclass(frozen=True, repr=False)
class Absent(Matcher):
    """The key must not be present; as a value it never matches."""

    tag = "!absent"

    def matches(self, value: Any) -> bool:
        return False

    def describe(self) -> str:
        return "absent"


@dataclass(frozen=True, repr=False)
class Optional(Matcher):
    """The key may be absent; when present its value must match `inner`."""

    inner: Matcher
    tag = "!optional"

    def matches(self, value: Any) -> bool:
        return self.inner.matches(value)

    def describe(self) -> str:
        return f"absent or {self.inner.describe()}"

    def to_yaml_scalar(self) -> str:
        return self.inner.tag.lstrip("!")


SIMPLE_MATCHERS: dict[str, Matcher] = {
    "any": AnyValue(),
    "any_uuid": AnyUuid(),
    "any_timestamp": AnyTimestamp(),
    "any_string": AnyString(),
}


class MatcherSyntaxError(ValueError):
    """A matcher tag in a scenario file has an invalid argument."""


def _construct_simple(name: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> Matcher:
        return SIMPLE_MATCHERS[name]
    return construct


def _construct_regex(loader: yaml.SafeLoader, node: yaml.Node) -> Matcher:
    pattern = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(pattern, str) or not pattern:
        raise MatcherSyntaxError(
            f"!regex needs a pattern string, as in !regex '^hook-[0-9]+$' (line {node.start_mark.line + 1})"
        )
    try:
        re.compile(pattern)
    except re.error as error:
        raise MatcherSyntaxError(
            f"!regex pattern {pattern!r} is not a valid regular expression: {error}"
            f" (line {node.start_mark.line + 1})"
        ) from None
    return Regex(pattern)


def _construct_absent(loader: yaml.SafeLoader, node: yaml.Node) -> Matcher:
    return Absent()


def _construct_optional(loader: yaml.SafeLoader, node: yaml.Node) -> Matcher:
    name = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None
    inner = SIMPLE_MATCHERS.get(str(name))
    if inner is None:
        allowed = ", ".join(SIMPLE_MATCHERS)
        raise MatcherSyntaxError(
            f"!optional takes one of {allowed}, got {name!r}; write for example"
            f" '!optional any_uuid' (line {node.start_mark.line + 1})"
        )
    return Optional(inner)


def add_matcher_constructors(loader_class: type[yaml.SafeLoader]) -> None:
    """Register the matcher tags on a PyYAML loader class."""
    for name in SIMPLE_MATCHERS:
        loader_class.add_constructor(f"!{name}", _construct_simple(name))
    loader_class.add_constructor("!regex", _construct_regex)
    loader_class.add_constructor("!absent", _construct_absent)
    loader_class.add_constructor("!optional", _construct_optional)


def add_matcher_representers(dumper_class: type[yaml.SafeDumper]) -> None:
    """Register the matchers on a PyYAML dumper class, for generated scenario files."""

    def represent(dumper: yaml.SafeDumper, matcher: Matcher) -> yaml.Node:
        return dumper.represent_scalar(matcher.tag, matcher.to_yaml_scalar())

    for matcher_class in (AnyValue, AnyUuid, AnyTimestamp, AnyString, Regex, Absent, Optional):
        dumper_class.add_representer(matcher_class, represent)
