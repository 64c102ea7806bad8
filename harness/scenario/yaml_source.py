"""YAML parsing for scenario files: matcher tags, line numbers by key path, duplicate keys.

The loader differs from PyYAML's SafeLoader in three ways that suit JSON-shaped scenarios:
only `true` and `false` (any case pattern YAML 1.2 allows) are booleans, so `yes`, `no`,
`on` and `off` stay strings; dates and timestamps stay strings; and an invalid or unknown
tag becomes an `InvalidTag` value instead of failing the whole file, so the loader can
report it at its key path and keep the other scenarios.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from harness.scenario.matchers import MatcherSyntaxError, add_matcher_constructors

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class InvalidTag:
    """A tagged value that could not be built; `message` explains why and `fix` what to write."""

    message: str
    fix: str

    def __repr__(self) -> str:
        return f"<invalid tag: {self.message}>"


# libyaml's parser composes node trees about ten times faster than the pure-Python one; the
# tags, resolvers and constructors below apply to either.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ScenarioYamlLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """SafeLoader with the matcher tags, YAML 1.2 booleans and no implicit timestamps."""


ScenarioYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioYamlLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
add_matcher_constructors(ScenarioYamlLoader)

MATCHER_TAGS = tuple(
    tag for tag in ScenarioYamlLoader.yaml_constructors
    if isinstance(tag, str) and tag.startswith("!")
)


def _tolerant(constructor):
    """Wrap a matcher constructor so an invalid argument becomes an InvalidTag value."""

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        try:
            return constructor(loader, node)
        except MatcherSyntaxError as error:
            return InvalidTag(str(error), "correct the matcher argument as the message shows")

    return construct


def _construct_unknown_tag(loader: yaml.SafeLoader, node: yaml.Node) -> InvalidTag:
    known = ", ".join(MATCHER_TAGS)
    close = difflib.get_close_matches(node.tag, MATCHER_TAGS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return InvalidTag(
        f"unknown tag {node.tag} (line {node.start_mark.line + 1})",
        f"{hint}use one of the matcher tags {known}, or no tag for a literal value",
    )


for _tag in MATCHER_TAGS:
    ScenarioYamlLoader.add_constructor(_tag, _tolerant(ScenarioYamlLoader.yaml_constructors[_tag]))
ScenarioYamlLoader.add_constructor(None, _construct_unknown_tag)


def child_path(parent: str, key: object) -> str:
    """Return the key path of `key` under `parent`: `a.b` for simple keys, `a["x y"]` otherwise."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{parent}[{key}]"
    text = str(key)
    if _SIMPLE_KEY.fullmatch(text):
        return f"{parent}.{text}" if parent else text
    return f'{parent}["{text}"]'


@dataclass(frozen=True)
class DuplicateKey:
    key_path: str
    line: int
    first_line: int


@dataclass
class YamlDocument:
    """One parsed YAML document: its node tree, the line of each key path, its duplicate keys."""

    root: yaml.Node | None
    loader: ScenarioYamlLoader
    lines: dict[str, int] = field(default_factory=dict)
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)

    def line_of(self, key_path: str) -> int | None:
        """Return the line of `key_path`, or of its nearest ancestor that has one."""
        path = key_path
        while path:
            if path in self.lines:
                return self.lines[path]
            path = _parent_path(path)
        return self.lines.get("")

    def construct(self, node: yaml.Node) -> Any:
        """Build the Python value of `node`, raising yaml.YAMLError if it cannot be built.

        After an error the loader's per-object state is reset, so other nodes of the same
        document can still be built.
        """
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            self.loader.recursive_objects = {}
            self.loader.deep_construct = False
            raise


def _parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def _scalar_key(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _index(document: YamlDocument, node: yaml.Node, path: str, visited: set[int]) -> None:
    """Record the line of every key path. A node reached again through an alias is skipped."""
    document.lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            _index(document, item, child_path(path, position), visited)
    elif isinstance(node, yaml.MappingNode):
        _index_mapping(document, node, path, visited)


def _index_mapping(
    document: YamlDocument, node: yaml.MappingNode, path: str, visited: set[int]
) -> None:
    first_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = _scalar_key(key_node)
        if key is None or key_node.tag == _MERGE_TAG:
            continue
        key_path = child_path(path, key)
        line = key_node.start_mark.line + 1
        if key in first_lines:
            document.duplicate_keys.append(DuplicateKey(key_path, line, first_lines[key]))
            continue
        first_lines[key] = line
        document.lines[key_path] = line
        _index(document, value_node, key_path, visited)


def parse_yaml(text: str) -> YamlDocument:
    """Compose `text` into a node tree and index it, raising yaml.YAMLError on invalid YAML.

    Values are not built here: `YamlDocument.construct` builds one node at a time.
    """
    loader = ScenarioYamlLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    document = YamlDocument(root, loader)
    if root is not None:
        _index(document, root, "", set())
    return document
