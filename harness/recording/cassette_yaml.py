"""YAML reading and writing for cassettes, built on libyaml's C parser.

PyYAML's safe constructor is Python code that handles every YAML feature, and it took about
70% of the time to load a cassette. `load_yaml` lets the C parser build the node tree with
tags resolved. It then builds plain strings, nulls, lists and dicts itself. Every other node
(integers, binary, merge keys, custom tags) goes to the safe constructor, so the result
equals `yaml.load(text, Loader=CassetteLoader)`.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


# Tags of plain (unquoted) scalars by their text. Resolving a plain scalar runs the safe
# resolver's regular expressions, and a cassette repeats the same keys and values many times.
_plain_tags: dict[str, str] = {}
_MAX_CACHED_PLAIN_TAGS = 4096


class CassetteLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that also reads the `!!python/str` and `!!python/tuple` tags that
    vcrpy's own dumper may write. Any other Python tag is rejected."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # The tag of a plain scalar depends on its text alone, because no path resolvers
        # are registered, so it can be cached.
        if kind is not ScalarNode or not implicit[0]:
            return super().resolve(kind, value, implicit)
        tag = _plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_plain_tags) < _MAX_CACHED_PLAIN_TAGS:
                _plain_tags[value] = tag
        return tag


CassetteLoader.add_constructor("tag:yaml.org,2002:python/str", lambda loader, node: loader.construct_scalar(node))
CassetteLoader.add_constructor("tag:yaml.org,2002:python/unicode", lambda loader, node: loader.construct_scalar(node))
CassetteLoader.add_constructor(
    "tag:yaml.org,2002:python/tuple", lambda loader, node: list(loader.construct_sequence(node, deep=True))
)


@contextlib.contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, which would otherwise scan the growing node tree
    again and again: with it running, parsing 5,000 interactions took 2.5 times as long.
    Parsing creates no reference cycles, so nothing is left for the collector. Pauses nest:
    only the outermost one enables the collector again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_yaml(text: str) -> Any:
    """Parse one YAML document; raise yaml.YAMLError when it is invalid."""
    with garbage_collection_paused():
        loader = CassetteLoader(text)
        try:
            node = loader.get_single_node()
            return None if node is None else _construct(node, loader)
        finally:
            loader.dispose()


def _construct(node: Node, loader: CassetteLoader) -> Any:
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == _STR_TAG:
            return node.value
        if tag == _NULL_TAG:
            return None
    elif isinstance(node, MappingNode) and tag == _MAP_TAG:
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR_TAG:
                # Merge keys and non-string keys take the safe constructor's full path.
                return loader.construct_object(node, deep=True)
            result[key_node.value] = _construct(value_node, loader)
        return result
    elif isinstance(node, SequenceNode) and tag == _SEQ_TAG:
        return [_construct(item, loader) for item in node.value]
    return loader.construct_object(node, deep=True)


def dump_yaml(document: Any) -> str:
    """Serialise with sorted keys and block style, as vcrpy does, keeping non-ASCII text."""
    return yaml.dump(document, Dumper=_BaseDumper, allow_unicode=True, sort_keys=True, default_flow_style=False)
