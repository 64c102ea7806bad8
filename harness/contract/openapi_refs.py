"""Local `$ref` resolution in an OpenAPI document, and the import's warning log."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from harness.contract.datafile import ContractFileError, format_json_path

logger = logging.getLogger(__name__)

JsonPath = tuple[str | int, ...]

# Keys that OpenAPI 3.1 allows beside $ref. OpenAPI 3.0 ignores every sibling of $ref, and
# these two are annotations only, so ignoring them needs no warning.
_QUIET_REF_SIBLINGS = frozenset({"description", "summary"})


@dataclass
class ImportLog:
    """Warnings of one import as (JSON path, message) pairs, each pair recorded once."""

    source: str
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, path: JsonPath, message: str) -> None:
        entry = (format_json_path(path), message)
        if entry in self.warnings:
            return
        self.warnings.append(entry)
        logger.info("%s: %s: %s", self.source, entry[0], message)

    def fail(self, path: JsonPath, problem: str, value: Any, fix: str) -> ContractFileError:
        """Build the error to raise for an unusable value at `path`."""
        return ContractFileError(self.source, format_json_path(path), problem, value, fix)


def is_media_type(value: Any) -> bool:
    """Tell whether a `type` value names a media type ("application/x") instead of a JSON type."""
    return isinstance(value, str) and "/" in value


class RefResolver:
    """Follows local `$ref`s ("#/components/...") in one parsed OpenAPI document."""

    def __init__(self, root: Any, log: ImportLog) -> None:
        self.root = root
        self.log = log

    def follow(self, node: Any, path: JsonPath) -> tuple[Any, JsonPath, tuple[str, ...]]:
        """Return the node that a chain of `$ref`s ends at, its path and the refs followed.

        Raises ContractFileError for a ref that is not a string, not local, not found, or part
        of a chain that leads back to itself.
        """
        followed: list[str] = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise self.log.fail(
                    path + ("$ref",),
                    "$ref is not a string",
                    ref,
                    "Write the reference as a string such as '#/components/schemas/Name'.",
                )
            self._warn_about_siblings(node, path)
            if ref in followed:
                chain = " -> ".join(followed + [ref])
                raise self.log.fail(
                    path + ("$ref",),
                    f"$ref chain leads back to itself: {chain}",
                    ref,
                    "Point one of these references at a schema instead of another reference.",
                )
            followed.append(ref)
            path = self._pointer_path(ref, path)
            node = self._lookup(path, ref)
        return node, path, tuple(followed)

    def _warn_about_siblings(self, node: dict[str, Any], path: JsonPath) -> None:
        for key, value in node.items():
            if key == "$ref" or key in _QUIET_REF_SIBLINGS:
                continue
            if key == "type" and is_media_type(value):
                self.log.warn(
                    path + (key,),
                    f"type {value!r} names a media type, not a JSON type, and sits beside a "
                    "$ref; ignored, the referenced schema decides the type",
                )
                continue
            self.log.warn(
                path + (key,),
                f"key {key!r} beside $ref is ignored, as OpenAPI 3.0 requires; move it into "
                "the referenced schema or combine both with allOf",
            )

    def _pointer_path(self, ref: str, path: JsonPath) -> JsonPath:
        if not ref.startswith("#"):
            raise self.log.fail(
                path + ("$ref",),
                "external $ref is not supported",
                ref,
                "Copy the referenced schema into this document under #/components and point "
                "the $ref at it.",
            )
        pointer = ref[1:]
        if pointer and not pointer.startswith("/"):
            raise self.log.fail(
                path + ("$ref",),
                "$ref is not a JSON pointer",
                ref,
                "Write it as '#/components/schemas/Name'.",
            )
        parts = pointer.split("/")[1:] if pointer else []
        return tuple(unquote(part).replace("~1", "/").replace("~0", "~") for part in parts)

    def _lookup(self, path: JsonPath, ref: str) -> Any:
        node = self.root
        for depth, part in enumerate(path):
            node = _child(node, part)
            if node is _MISSING:
                raise self.log.fail(
                    path[: depth + 1],
                    "$ref target not found",
                    ref,
                    "Fix the reference or add the missing component.",
                )
        return node


_MISSING = object()


def _child(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        if key in node:
            return node[key]
        # YAML reads unquoted response codes such as 201 as integers.
        if isinstance(key, str) and key.isdigit() and int(key) in node:
            return node[int(key)]
        return _MISSING
    if isinstance(node, list) and isinstance(key, str) and key.isdigit() and int(key) < len(node):
        return node[int(key)]
    return _MISSING
